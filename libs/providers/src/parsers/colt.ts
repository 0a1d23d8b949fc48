import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider colt): parse Colt notices the way Colt writes them.

/** Colt notice body. */
export const coltHtmlParser: Parser = {
  name: 'colt-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('colt parser not written yet');
  },
};
