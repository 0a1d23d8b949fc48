import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider hgc): parse HGC notices the way HGC writes them.

/** HGC notice body. */
export const hgcHtmlParser: Parser = {
  name: 'hgc-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('hgc parser not written yet');
  },
};
