import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';

/** Options of the PostgreSQL pool. */
export interface DatabaseOptions {
  url: string;
  caFile?: string;
}
/** Injection token of DatabaseOptions. */
export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

/** The PostgreSQL pool of maintenance-api (the store arrives with the maintenance-store issue). */
@Injectable()
export class Database implements OnApplicationShutdown {
  readonly pool: Pool;

  constructor(@Inject(DATABASE_OPTIONS) options: DatabaseOptions) {
    this.pool = new Pool({
      connectionString: options.url,
      max: 10,
      connectionTimeoutMillis: 2000,
      ssl: options.caFile ? { ca: readFileSync(options.caFile, 'utf8'), rejectUnauthorized: true } : undefined,
    });
    // An idle client losing its server is reported here; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  /** Readiness: one round trip. */
  async ping(): Promise<void> {
    await this.pool.query('select 1');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
