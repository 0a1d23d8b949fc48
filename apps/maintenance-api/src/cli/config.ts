import { z } from 'zod';
import { databaseUrl } from '@maintwatch/observability';

/** The token command's environment: where the store is. */
export const tokenCliConfig = z.object({
  DATABASE_URL: databaseUrl,
  /** Verify the PostgreSQL server certificate when the URL asks for TLS (sslmode=require). */
  DATABASE_CA_FILE: z.string().optional(),
});

/** The process environment (read here only). */
export const env = (): Readonly<Record<string, string | undefined>> => process.env;
