import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider turkcell): parse Turkcell notices the way Turkcell writes them.

/** Turkcell notice body. */
export const turkcellHtmlParser: Parser = {
  name: 'turkcell-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('turkcell parser not written yet');
  },
};
