import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider pccw): parse PCCW Global notices the way PCCW Global writes them.

/** PCCW Global notice body. */
export const pccwHtmlParser: Parser = {
  name: 'pccw-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('pccw parser not written yet');
  },
};
