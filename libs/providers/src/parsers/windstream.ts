import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider windstream): parse Windstream notices the way Windstream writes them.

/** Windstream notice body. */
export const windstreamHtmlParser: Parser = {
  name: 'windstream-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('windstream parser not written yet');
  },
};
