import { resolve } from 'node:path';
import { z } from 'zod';
import { databaseUrl, envBoolean, secretFromEnvOrFile } from '@maintwatch/observability';
import { checkDatabaseTls } from '@maintwatch/persistence';
import { serviceEnv } from '@maintwatch/runtime';

/** Names of the points where FAILPOINTS can crash the process (crash tests). */
export const FAILPOINT_NAMES = ['apply-before-commit', 'relay-before-publish', 'relay-after-publish', 'relay-after-commit', 'clock-before-commit'] as const;
/** One failpoint. */
export type FailpointName = (typeof FAILPOINT_NAMES)[number];

/** maintenance-api's environment. */
export const apiConfig = serviceEnv(3000).extend({
  /** PostgreSQL URL, or a file holding it in DATABASE_URL_FILE (a mounted secret). */
  DATABASE_URL: secretFromEnvOrFile('DATABASE_URL').pipe(databaseUrl),
  /** CA to verify the PostgreSQL server against (TLS on, verify-full, whatever the URL's sslmode says). */
  DATABASE_CA_FILE: z.string().optional(),
  /** Accept sslmode=no-verify in the URL (TLS without verifying the server); refused otherwise. */
  DATABASE_TLS_INSECURE: envBoolean.default(false),
  /** Connections to PostgreSQL. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(16),
  /** Parsed maintenances in hand at once (they are applied in batches of PARSED_BATCH). */
  PARSED_CONCURRENCY: z.coerce.number().int().min(1).max(8192).default(2048),
  /** Parsed maintenances that share one transaction at most (those arriving while one runs). */
  PARSED_BATCH: z.coerce.number().int().min(1).max(2000).default(512),
  /** Batches of parsed maintenances in flight at once (one gathers while another waits on PostgreSQL). */
  PARSED_BATCHES_IN_FLIGHT: z.coerce.number().int().min(1).max(16).default(2),
  /**
   * Raw notices, unparsed and ignored records stored at once. Each is its own short transaction;
   * with 4 at once the raw intake kept ~220/s and lagged the import by seconds (bench:e2e
   * 2026-12-07: raw notices all stored 9.5-13 s after a 3-4.6 s import; with 32, 4.0-4.7 s).
   */
  NOTICES_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(32),
  /**
   * Deliveries of a message before it is dead-lettered. High: while PostgreSQL is down every
   * message is nak'd with a delay (at most INTAKE_RETRY_MAX_MS), and none may be lost to an outage.
   */
  INTAKE_MAX_DELIVER: z.coerce.number().int().min(2).default(1000),
  INTAKE_RETRY_MAX_MS: z.coerce.number().int().min(100).default(15_000),
  /** A message not acknowledged within this long (the process died holding it) is delivered again. */
  INTAKE_ACK_WAIT_MS: z.coerce.number().int().min(1000).default(30_000),
  /** What a notice naming a circuit the inventory does not know does: create it unverified, or note it only. */
  UNKNOWN_CIRCUITS: z.enum(['create', 'note']).default('create'),
  /** A new maintenance covering the circuits of a RE-SCHEDULED one within this many hours of its window replaces it. */
  RESCHEDULE_LINK_HORIZON_HOURS: z.coerce.number().min(0).max(24 * 366).default(720),
  /** starting-soon is emitted this long before the start. */
  STARTING_SOON_LEAD_SECONDS: z.coerce.number().int().min(0).max(7 * 24 * 3600).default(900),
  /** How often the clock looks for due transitions (at most every 30 s). */
  CLOCK_INTERVAL_MS: z.coerce.number().int().min(50).max(30_000).default(15_000),
  /** Run the lifecycle clock in this replica (replicas share it through an advisory lock). */
  CLOCK_ENABLED: envBoolean.default(true),
  /** The operator web page's build (apps/web, built by tools/build-web.mjs); served under / when present. */
  WEB_DIR: z.string().default(resolve(process.cwd(), 'dist/apps/web')),
  /** Overlap alerts count circuits a maintenance names as NO-IMPACT too (default: they do not). */
  OVERLAP_INCLUDE_NO_IMPACT: envBoolean.default(false),
  /** How often the outbox relay looks for events committed by other replicas (its own wake it at once). */
  OUTBOX_POLL_MS: z.coerce.number().int().min(20).max(60_000).default(500),
  /** Events published per relay transaction. */
  OUTBOX_BATCH: z.coerce.number().int().min(1).max(10_000).default(256),
  /**
   * Provider types whose maintenances devices may be acted on for without an authenticated
   * notice (providers that do not sign their mail), comma-separated; "*" for every provider.
   */
  ALLOW_UNAUTHENTICATED_PROVIDERS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  /**
   * Crash tests only: comma-separated points where the process kills itself with SIGKILL
   * (failpoints, as in etcd and TiKV), e.g. relay-after-publish. Never set in production.
   */
  FAILPOINTS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const names = (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      for (const n of names) {
        if (!(FAILPOINT_NAMES as readonly string[]).includes(n)) ctx.addIssue({ code: 'custom', message: `unknown failpoint ${n} (known: ${FAILPOINT_NAMES.join(', ')})` });
      }
      return names as FailpointName[];
    }),
}).superRefine(checkDatabaseTls);
/** maintenance-api's validated config. */
export type ApiConfig = z.output<typeof apiConfig>;
