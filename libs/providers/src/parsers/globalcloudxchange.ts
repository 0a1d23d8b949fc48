import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(provider globalcloudxchange): parse GlobalCloudXchange notices the way GlobalCloudXchange writes them.

/** GlobalCloudXchange notice body. */
export const globalcloudxchangeHtmlParser: Parser = {
  name: 'globalcloudxchange-html',
  dataTypes: ['html'],
  parse: () => {
    throw new ParserError('globalcloudxchange parser not written yet');
  },
};
