import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider zayo): parse Zayo notices the way Zayo writes them.

/** Zayo notice body. */
export const zayoHtmlParser: Parser = {
  name: 'zayo-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('zayo parser not written yet');
  },
};
