import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider netflix): parse Netflix notices the way Netflix writes them.

/** Netflix notice body. */
export const netflixHtmlParser: Parser = {
  name: 'netflix-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('netflix parser not written yet');
  },
};
