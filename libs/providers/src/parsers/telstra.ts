import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider telstra): parse Telstra notices the way Telstra writes them.

/** Telstra notice body. */
export const telstraHtmlParser: Parser = {
  name: 'telstra-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('telstra parser not written yet');
  },
};
