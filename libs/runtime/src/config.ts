import { z } from 'zod';
import { envBoolean, logFormat, logLevel, natsUrl, port, secretFromEnvOrFile } from '@maintwatch/observability';

/** Environment every service reads; each app extends it with its own variables. */
export const serviceEnv = (defaultPort: number) =>
  z.object({
  /** Comma-separated NATS URLs. */
  NATS_URL: natsUrl.default(['nats://127.0.0.1:4222']),
  /** Optional prefix of every subject, stream and bucket (several deployments on one NATS). */
  NATS_NAMESPACE: z
    .string()
    .regex(/^[a-z][a-z0-9]{0,31}$/, 'lower-case letters and digits, starting with a letter')
    .optional(),
  NATS_USER: z.string().optional(),
  NATS_PASSWORD: secretFromEnvOrFile('NATS_PASSWORD').optional(),
  NATS_TOKEN: secretFromEnvOrFile('NATS_TOKEN').optional(),
  /** PEM file of a private CA to trust for tls:// NATS URLs (verification stays on). */
  NATS_CA_FILE: z.string().optional(),
  /** JetStream de-duplication window, ms. */
  NATS_DUPLICATE_WINDOW_MS: z.coerce.number().int().min(100).max(24 * 3600 * 1000).default(120_000),
  /** Replicas of every stream, KV bucket and object store: 1 on a single server, 3 on a 3-node JetStream cluster. */
  NATS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  /** HTTP port for /healthz, /readyz, /metrics (and the app's API). */
  PORT: port.default(defaultPort),
  HOST: z.string().default('0.0.0.0'),
  /** Largest HTTP request body (JSON); larger ones get 413 before they are read. Routes with their own limit (CSV import, webhooks) keep it. */
  HTTP_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(256 * 1024 * 1024).default(1024 * 1024),
  LOG_LEVEL: logLevel,
  LOG_FORMAT: logFormat,
  /** Provision streams, buckets and consumers at start (off when an operator manages them). */
  NATS_PROVISION: envBoolean.default(true),
});
/** The common service config. */
export type ServiceEnv = z.output<ReturnType<typeof serviceEnv>>;

/** The process environment (read here only: one place per app reads the environment). */
export const processEnv = (): Readonly<Record<string, string | undefined>> => process.env;
