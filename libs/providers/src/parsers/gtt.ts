import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider gtt): parse GTT / EXA notices the way GTT / EXA writes them.

/** GTT / EXA notice body. */
export const gttHtmlParser: Parser = {
  name: 'gtt-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('gtt parser not written yet');
  },
};
