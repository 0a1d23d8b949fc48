import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider aquacomms): parse AquaComms notices the way AquaComms writes them.

/** AquaComms notice body. */
export const aquacommsHtmlParser: Parser = {
  name: 'aquacomms-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('aquacomms parser not written yet');
  },
};
