import { z } from 'zod';
import { serviceEnv } from '@maintwatch/runtime';
import { loadSourcesFile, type SourcesFile } from './sources/sources-file';

/** Largest mail published whole; a larger one keeps its header block and is recorded unparsed with its size. */
const INGEST_MAX_MAIL_BYTES = z.coerce.number().int().min(64 * 1024).default(50 * 1024 * 1024);

/** ingest's environment. */
export const ingestConfig = serviceEnv(3001).extend({
  INGEST_MAX_MAIL_BYTES,
  /**
   * Path of the sources file (YAML or JSON), read and validated at start: a broken file stops
   * the service with every problem listed. Unset: no live sources (backfill only).
   */
  INGEST_SOURCES_FILE: z
    .string()
    .optional()
    .transform((path, ctx): SourcesFile | undefined => {
      if (path === undefined) return undefined;
      const loaded = loadSourcesFile(path);
      if (loaded.ok) return loaded.file;
      for (const problem of loaded.problems) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
      return z.NEVER;
    }),
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
  NATS_STREAM_REPLICAS: true,
}).extend({ INGEST_MAX_MAIL_BYTES });

/** The environment, read in this file only (sources name their secrets by variable). */
export const env = (): Readonly<Record<string, string | undefined>> => process.env;
