import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider cogent): parse Cogent notices the way Cogent writes them.

/** Cogent notice body. */
export const cogentHtmlParser: Parser = {
  name: 'cogent-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('cogent parser not written yet');
  },
};
