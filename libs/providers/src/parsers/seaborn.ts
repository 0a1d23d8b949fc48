import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider seaborn): parse Seaborn notices the way Seaborn writes them.

/** Seaborn notice body. */
export const seabornHtmlParser: Parser = {
  name: 'seaborn-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('seaborn parser not written yet');
  },
};
