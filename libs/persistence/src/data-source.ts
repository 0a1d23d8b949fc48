import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { postgresTls, type PostgresTlsOptions } from './postgres-tls';

/** How to reach PostgreSQL. */
export interface StoreOptions {
  /** postgres://user:password@host:5432/db */
  url: string;
  /** PEM of a private CA to verify the server against; turns TLS on (verify-full) by itself. */
  caFile?: string;
  /**
   * Allow `sslmode=no-verify` (or `ssl=no-verify`) in the URL: TLS without checking the server's
   * certificate. Refused unless set, so a copied URL never disables verification silently.
   */
  tlsInsecure?: boolean;
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

/**
 * The URL without its TLS parameters and the TLS options built from them: pg lets URL
 * parameters override explicit options, so they are taken out and decided here (see postgresTls).
 * Throws DatabaseTlsConfigError on a setting that would not verify the server.
 */
export function connectionOptions(options: StoreOptions): { url: string; ssl: PostgresTlsOptions } {
  return postgresTls(options.url, { caFile: options.caFile, insecure: options.tlsInsecure });
}

/** A TypeORM DataSource for the store (not yet initialised). Migrations are never run implicitly. */
export function createDataSource(options: StoreOptions): DataSource {
  const { url, ssl } = connectionOptions(options);
  return new DataSource({
    type: 'postgres',
    url,
    ssl,
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
