import { z } from 'zod';
import { serviceEnv } from '@maintwatch/runtime';

/** ingest's environment (mail sources arrive with the ingest issue). */
export const ingestConfig = serviceEnv(3001).extend({
  /** Path of the sources file (YAML or JSON). */
  INGEST_SOURCES_FILE: z.string().optional(),
});
/** ingest's validated config. */
export type IngestConfig = z.output<typeof ingestConfig>;

/** The backfill command's environment: just how to reach NATS. */
export const importConfig = serviceEnv(0).pick({
  NATS_URL: true,
  NATS_NAMESPACE: true,
  NATS_USER: true,
  NATS_PASSWORD: true,
  NATS_TOKEN: true,
  NATS_CA_FILE: true,
  NATS_DUPLICATE_WINDOW_MS: true,
});

/** The environment, read in this file only. */
export const env = (): Readonly<Record<string, string | undefined>> => process.env;
