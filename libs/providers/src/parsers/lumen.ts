import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider lumen): parse Lumen notices the way Lumen writes them.

/** Lumen notice body. */
export const lumenHtmlParser: Parser = {
  name: 'lumen-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('lumen parser not written yet');
  },
};
