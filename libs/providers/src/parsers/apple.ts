import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider apple): parse Apple notices the way Apple writes them.

/** Apple notice body. */
export const appleHtmlParser: Parser = {
  name: 'apple-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('apple parser not written yet');
  },
};
