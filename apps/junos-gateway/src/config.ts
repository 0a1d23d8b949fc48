import { z } from 'zod';
import { databaseUrl, envBoolean, secretFromEnvOrFile } from '@maintwatch/observability';
import { checkDatabaseTls } from '@maintwatch/persistence';
import { serviceEnv } from '@maintwatch/runtime';

/** The junos-gateway's environment. */
export const junosConfig = serviceEnv(3004).extend({
  /** PostgreSQL: the gateway's schema `gateway` (device events), and the API tokens of the REST routes. */
  /** PostgreSQL URL, or a file holding it in DATABASE_URL_FILE (a mounted secret). */
  DATABASE_URL: secretFromEnvOrFile('DATABASE_URL').pipe(databaseUrl),
  /** CA to verify the PostgreSQL server against (TLS on, verify-full, whatever the URL's sslmode says). */
  DATABASE_CA_FILE: z.string().optional(),
  /** Accept sslmode=no-verify in the URL (TLS without verifying the server); refused otherwise. */
  DATABASE_TLS_INSECURE: envBoolean.default(false),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(8),
  /**
   * Webhook HMAC secrets, comma- or newline-separated (several at once while rotating), or a
   * file of them in JUNOS_WEBHOOK_SECRETS_FILE. Unset: POST /webhook/junos is not served.
   */
  JUNOS_WEBHOOK_SECRETS: secretFromEnvOrFile('JUNOS_WEBHOOK_SECRETS')
    .transform((v) => v.split(/[,\n]/).map((s) => s.trim()).filter((s) => s !== ''))
    .refine((list) => list.length > 0, 'lists no secret')
    .optional(),
  /** |gateway clock - Junos-Timestamp| accepted, seconds (devices need NTP). */
  JUNOS_WEBHOOK_WINDOW_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  /** Also accept the seed agent's body-only signature (no Junos-Timestamp): for a migration only. */
  JUNOS_WEBHOOK_ACCEPT_LEGACY: envBoolean.default(false),
  /** Largest webhook body accepted, bytes. */
  JUNOS_WEBHOOK_MAX_BYTES: z.coerce.number().int().min(256).max(4 * 1024 * 1024).default(64 * 1024),
  /** Webhooks per second per source address (token bucket), and the burst. */
  JUNOS_WEBHOOK_RATE_PER_SECOND: z.coerce.number().positive().max(100_000).default(50),
  JUNOS_WEBHOOK_RATE_BURST: z.coerce.number().int().min(1).max(100_000).default(200),
  /** Event id -> priority rules (YAML/JSON); reloaded on SIGHUP and when the file changes. */
  JUNOS_PRIORITIES_FILE: z.string().optional(),
  /** How often the device-event relay looks for unpublished events (its own inserts wake it at once). */
  JUNOS_OUTBOX_POLL_MS: z.coerce.number().int().min(20).max(60_000).default(1000),
  /** Device inventory (YAML/JSON: name, host, port, username, passwordEnv/privateKeyEnv, hostKeys, tofu). Unset: no drains. */
  JUNOS_DEVICES_FILE: z.string().optional(),
  /** Where trust-on-first-use host keys are recorded (devices with `tofu: true`). */
  JUNOS_HOST_KEYS_FILE: z.string().default('.data/junos-host-keys.json'),
  /** How often due drains and restores are looked for (lifecycle events wake the runner at once). */
  DRAIN_TICK_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** Seconds between commit confirmed and the post-checks, for traffic to move off the circuit. */
  DRAIN_SETTLE_SECONDS: z.coerce.number().int().min(0).max(1800).default(30),
  /** Seconds a restored BGP session gets to come back Established before the restore is left unconfirmed. */
  DRAIN_ESTABLISH_SECONDS: z.coerce.number().int().min(0).max(1800).default(120),
  /** Seconds before an unhealthy circuit's held restore is checked again. */
  DRAIN_RESTORE_RETRY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /** Restore checks before a job fails and a human is asked to act. */
  DRAIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(6),
  /** Seconds a replica holds a drain job without renewing (it renews every third of it while working). */
  DRAIN_LEASE_SECONDS: z.coerce.number().int().min(3).max(3600).default(60),
  /** JTAC bundles (jtac-bundle action) are uploaded here. Unset: that action is refused with the reason. */
  JTAC_FTP_HOST: z.string().regex(/^[A-Za-z0-9.:-]+$/, 'a host name or address, without scheme or credentials').optional(),
  JTAC_FTP_PORT: z.coerce.number().int().min(1).max(65_535).default(21),
  /** Directory on the server; each case is a folder below it. */
  JTAC_FTP_DIR: z.string().min(1).default('/'),
  JTAC_FTP_USER: z.string().min(1).default('anonymous'),
  /** The FTP password, or JTAC_FTP_PASSWORD_FILE (never logged). */
  JTAC_FTP_PASSWORD: secretFromEnvOrFile('JTAC_FTP_PASSWORD').optional(),
  /** Explicit FTPS (AUTH TLS) with the server certificate verified. */
  JTAC_FTP_TLS: envBoolean.default(false),
  /** A private CA for the FTPS server's certificate. */
  JTAC_FTP_CA_FILE: z.string().optional(),
  /** Longest command output kept in the audit and the result message, characters. */
  ACTION_OUTPUT_MAX_CHARS: z.coerce.number().int().min(256).max(1_000_000).default(64 * 1024),
}).superRefine((c, ctx) => {
  checkDatabaseTls(c, ctx);
  // Reported on the variable that is set (an unset one would read "missing" only).
  for (const key of ['JTAC_FTP_PASSWORD', 'JTAC_FTP_CA_FILE'] as const)
    if (!c.JTAC_FTP_HOST && c[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'needs JTAC_FTP_HOST (the server it is for)' });
  if (c.JTAC_FTP_CA_FILE && !c.JTAC_FTP_TLS) ctx.addIssue({ code: 'custom', path: ['JTAC_FTP_CA_FILE'], message: 'needs JTAC_FTP_TLS=true' });
});
/** The junos-gateway's validated config. */
export type JunosConfig = z.output<typeof junosConfig>;

/**
 * The environment the device inventory's secrets are read from (`passwordEnv: EDGE1_PASSWORD`
 * names a variable, or EDGE1_PASSWORD_FILE a secret file): names the inventory chooses, so they
 * cannot be listed in the schema above.
 */
export const deviceSecretEnv = (): Readonly<Record<string, string | undefined>> => process.env;
