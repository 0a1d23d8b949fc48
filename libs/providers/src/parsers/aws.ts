import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider aws): parse AWS notices the way AWS writes them.

/** AWS notice body. */
export const awsHtmlParser: Parser = {
  name: 'aws-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('aws parser not written yet');
  },
};
