import { z } from 'zod';
import { databaseUrl, envBoolean, secretFromEnvOrFile } from '@maintwatch/observability';
import { checkDatabaseTls } from '@maintwatch/persistence';

/** The token and migrate commands' environment: where the store is (the same variables as the service). */
export const tokenCliConfig = z
  .object({
    /** PostgreSQL URL, or a file holding it in DATABASE_URL_FILE (a mounted secret). */
    DATABASE_URL: secretFromEnvOrFile('DATABASE_URL').pipe(databaseUrl),
    /** CA to verify the PostgreSQL server against (TLS on, verify-full, whatever the URL's sslmode says). */
    DATABASE_CA_FILE: z.string().optional(),
    /** Accept sslmode=no-verify in the URL (TLS without verifying the server); refused otherwise. */
    DATABASE_TLS_INSECURE: envBoolean.default(false),
  })
  .superRefine(checkDatabaseTls);

/** The process environment (read here only). */
export const env = (): Readonly<Record<string, string | undefined>> => process.env;
