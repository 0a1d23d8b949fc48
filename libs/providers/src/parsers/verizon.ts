import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider verizon): parse Verizon notices the way Verizon writes them.

/** Verizon notice body. */
export const verizonHtmlParser: Parser = {
  name: 'verizon-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('verizon parser not written yet');
  },
};
