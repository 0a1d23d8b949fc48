import { z } from 'zod';
import { databaseUrl } from '@maintwatch/observability';
import { serviceEnv } from '@maintwatch/runtime';

/** maintenance-api's environment. */
export const apiConfig = serviceEnv(3000).extend({
  DATABASE_URL: databaseUrl,
  /** Verify the PostgreSQL server certificate when the URL asks for TLS (sslmode=require). */
  DATABASE_CA_FILE: z.string().optional(),
});
/** maintenance-api's validated config. */
export type ApiConfig = z.output<typeof apiConfig>;
