import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider momentum): parse Momentum notices the way Momentum writes them.

/** Momentum notice body. */
export const momentumHtmlParser: Parser = {
  name: 'momentum-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('momentum parser not written yet');
  },
};
