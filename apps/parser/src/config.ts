import { z } from 'zod';
import { serviceEnv } from '@maintwatch/runtime';

/** The parser's environment. */
export const parserConfig = serviceEnv(3002).extend({
  /**
   * Notices in hand at once by this replica (decoded, parsing or queued for a worker, publishing
   * the outcome, acknowledging). Several per worker: with 4 on 2 workers the workers sat idle
   * while the main thread waited on JetStream round trips (bench:e2e 2026-12-07: 4 -> 16 took
   * the chain from 157 to 205 mails/s).
   */
  PARSER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(16),
  /**
   * Deliveries before a notice that keeps failing is dead-lettered. Small: a parse cannot fail
   * by itself (a slow or bloating mail is recorded unparsed by the worker pool), so what repeats
   * is a notice that kills the process, and it must not do so for long.
   */
  PARSER_MAX_DELIVER: z.coerce.number().int().min(1).max(100).default(5),
  /** Worker threads that parse mail (default: one per core, at most PARSER_CONCURRENCY). */
  PARSER_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  /** A parse running longer than this is abandoned and the notice recorded unparsed ("parse abandoned after ..."). */
  PARSER_TIMEOUT_MS: z.coerce.number().int().min(50).max(600_000).default(5000),
  /** Heap limit of one parse worker; a mail that needs more is recorded unparsed. */
  PARSER_WORKER_MEMORY_MB: z.coerce.number().int().min(32).max(16_384).default(512),
  /** Largest attachment parsed; a larger one is skipped, and named in the unparsed record's reasons if nothing else parses. */
  PARSER_MAX_PART_BYTES: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
  /** How long a notice taken by a replica that died stays invisible before another replica gets it
   *  (a live handler extends it with working() every third of it). */
  PARSER_ACK_WAIT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  /** Verify the DKIM signatures of provider notices (DNS lookups of the selectors' keys). */
  PARSER_DKIM_VERIFY: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** authserv-ids of the MTAs whose topmost Authentication-Results header is believed (comma-separated). */
  PARSER_TRUSTED_AUTHSERV_IDS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  /** DNS servers for DKIM key lookups (comma-separated; default the system's). */
  PARSER_DNS_SERVERS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  /** Timeout of one DKIM key lookup. */
  PARSER_DNS_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2000),
});
/** The parser's validated config. */
export type ParserConfig = z.output<typeof parserConfig>;
