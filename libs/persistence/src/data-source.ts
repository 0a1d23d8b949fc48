import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** How to reach PostgreSQL. */
export interface StoreOptions {
  /** postgres://user:password@host:5432/db */
  url: string;
  /** PEM of a private CA: TLS with verification (use with sslmode=require in the URL). */
  caFile?: string;
  /** Connections in the pool. Default 10. */
  poolSize?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
  /** Fail a connection attempt after this long. Default 2000 ms. */
  connectTimeoutMs?: number;
  /**
   * Create the schema straight from the entities instead of running the migrations. For
   * throwaway test databases only; every deployed database is built by the migrations.
   */
  synchronizeForTests?: boolean;
}

/** TLS to PostgreSQL with a private CA, verified; undefined to follow the URL. */
export function sslOptions(options: StoreOptions): { ca: string; rejectUnauthorized: true } | undefined {
  return options.caFile ? { ca: readFileSync(options.caFile, 'utf8'), rejectUnauthorized: true } : undefined;
}

/** A TypeORM DataSource for the store (not yet initialised). Migrations are never run implicitly. */
export function createDataSource(options: StoreOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    ssl: sslOptions(options),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: options.synchronizeForTests ?? false,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install (and no superuser needed).
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    applicationName: options.applicationName,
    connectTimeoutMS: options.connectTimeoutMs ?? 2000,
    // Idle connections are kept (pg's default closes them after 10 s). A service with traffic
    // in bursts otherwise opens new ones at each burst, and a new backend's first statements
    // are slow (cold catalog caches, the prepared list statement parsed and planned again):
    // measured as 30-120 ms spikes of the list's latency at 200 requests/s.
    extra: { max: options.poolSize ?? 10, idleTimeoutMillis: 0 },
    // An idle connection whose server went away is reported here; the next query reconnects.
    poolErrorHandler: () => undefined,
    logging: false,
  });
}
