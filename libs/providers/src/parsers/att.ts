import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider att): parse AT&T notices the way AT&T writes them.

/** AT&T notice body. */
export const attHtmlParser: Parser = {
  name: 'att-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('att parser not written yet');
  },
};
