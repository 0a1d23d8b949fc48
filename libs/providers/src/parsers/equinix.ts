import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider equinix): parse Equinix notices the way Equinix writes them.

/** Equinix notice body. */
export const equinixHtmlParser: Parser = {
  name: 'equinix-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('equinix parser not written yet');
  },
};
