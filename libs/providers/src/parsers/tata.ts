import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider tata): parse Tata Communications notices the way Tata Communications writes them.

/** Tata Communications notice body. */
export const tataHtmlParser: Parser = {
  name: 'tata-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('tata parser not written yet');
  },
};
