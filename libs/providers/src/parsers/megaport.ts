import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider megaport): parse Megaport notices the way Megaport writes them.

/** Megaport notice body. */
export const megaportHtmlParser: Parser = {
  name: 'megaport-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('megaport parser not written yet');
  },
};
