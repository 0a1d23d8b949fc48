import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider sparkle): parse Sparkle notices the way Sparkle writes them.

/** Sparkle notice body. */
export const sparkleHtmlParser: Parser = {
  name: 'sparkle-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('sparkle parser not written yet');
  },
};
