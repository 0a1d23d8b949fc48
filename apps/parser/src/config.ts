import { z } from 'zod';
import { serviceEnv } from '@maintwatch/runtime';

/** The parser's environment. */
export const parserConfig = serviceEnv(3002).extend({
  /** Notices parsed at once by this replica. */
  PARSER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Deliveries before a notice that keeps failing is dead-lettered. */
  PARSER_MAX_DELIVER: z.coerce.number().int().min(1).max(100).default(8),
  /** How long a notice taken by a replica that died stays invisible before another replica gets it
   *  (a live handler extends it with working() every third of it). */
  PARSER_ACK_WAIT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
});
/** The parser's validated config. */
export type ParserConfig = z.output<typeof parserConfig>;
