import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider bso): parse BSO notices the way BSO writes them.

/** BSO notice body. */
export const bsoHtmlParser: Parser = {
  name: 'bso-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('bso parser not written yet');
  },
};
