import { z } from 'zod';
import { LOG_FORMATS, LOG_LEVELS } from '../logging/logger';

// Environment values are strings; each building block parses one and says why in words an
// operator can act on (loadConfig adds the variable name and, unless secret, the value).

const secretMarkers = z.registry<{ envVar: string }>();

function isUrlWithProtocol(value: string, protocols: readonly string[]): URL | undefined {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) ? url : undefined;
  } catch {
    return undefined;
  }
}

const NATS_PROTOCOLS = ['nats:', 'tls:', 'ws:', 'wss:'];

/**
 * NATS server URLs, comma-separated (`nats://user:pass@nats-1:4222,nats://nats-2:4222`), parsed
 * to the `servers` array the NATS client takes.
 */
export const natsUrl = z.string().transform((value, ctx) => {
  const servers = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (servers.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'must list at least one nats:// URL' });
    return z.NEVER;
  }
  servers.forEach((server, i) => {
    if (!isUrlWithProtocol(server, NATS_PROTOCOLS)) {
      const which = servers.length > 1 ? `entry ${i + 1} ` : '';
      ctx.addIssue({ code: 'custom', message: `${which}is not a nats://, tls://, ws:// or wss:// URL` });
    }
  });
  return servers;
});

/** A PostgreSQL connection URL: `postgres://user:password@host:5432/db` (or `postgresql://`). */
export const databaseUrl = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const url = isUrlWithProtocol(value, ['postgres:', 'postgresql:']);
    if (!url) {
      ctx.addIssue({ code: 'custom', message: 'is not a postgres:// or postgresql:// URL' });
    } else if (url.hostname === '' && !url.searchParams.get('host')) {
      ctx.addIssue({ code: 'custom', message: 'names no host' });
    }
  });

/** A TCP port, 0-65535 (0 = any free port, for tests). */
export const port = z
  .string()
  .trim()
  .regex(/^\d{1,5}$/, 'must be a whole number 0-65535')
  .transform(Number)
  .refine((n) => n <= 65535, 'must be a whole number 0-65535');

/** A pino log level (`info` when unset). */
export const logLevel = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }))
  .default('info');

/** The log format: `json` (when unset) or `pretty` for a readable console. */
export const logFormat = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(LOG_FORMATS, { error: `must be one of ${LOG_FORMATS.join(', ')}` }))
  .default('json');

/** A boolean written as `true`, `false`, `1` or `0` (any case). Add `.default(false)` if optional. */
export const envBoolean = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0'], { error: 'must be true, false, 1 or 0' }))
  .transform((v) => v === 'true' || v === '1');

/**
 * A secret read from `name` or from the file named by `name_FILE` (trimmed), as Docker and
 * Kubernetes secrets are mounted. Setting both, or an unreadable file, is a config error.
 * Chain `.optional()`, `.refine()` or `.pipe(z.string().min(32))`; the value is never echoed.
 */
export function secretFromEnvOrFile(name: string) {
  // The marker is the pipe's input, which survives .optional(), .refine() and .pipe() (they copy
  // the definition), so loadConfig can find which variables to resolve from files.
  const marker = z.string();
  secretMarkers.add(marker, { envVar: name });
  return marker.pipe(z.string().min(1, 'is empty'));
}

/** The environment variable a schema built by `secretFromEnvOrFile` reads, if it is one. */
export function secretEnvVar(schema: z.core.$ZodType): string | undefined {
  const marker = secretMarkers.get(schema);
  if (marker) return marker.envVar;
  const def = schema._zod.def as { innerType?: z.core.$ZodType; in?: z.core.$ZodType };
  const inner = def.innerType ?? def.in;
  return inner ? secretEnvVar(inner) : undefined;
}
