import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider crowncastle): parse Crown Castle notices the way Crown Castle writes them.

/** Crown Castle notice body. */
export const crowncastleHtmlParser: Parser = {
  name: 'crowncastle-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('crowncastle parser not written yet');
  },
};
