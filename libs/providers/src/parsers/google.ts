import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider google): parse Google notices the way Google writes them.

/** Google notice body. */
export const googleHtmlParser: Parser = {
  name: 'google-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('google parser not written yet');
  },
};
