import { randomInt } from 'node:crypto';
import { Client } from 'pg';
import { SharedServiceUnsetError } from './errors';

/** A database of its own for one test file or test, on a shared PostgreSQL. */
export interface TestDatabase {
  readonly name: string;
  /** The shared server's URL with this database in its path. */
  readonly url: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A unique short prefix (`t` + 9 of [a-z0-9]) for the stream, consumer, bucket and subject names of one test. */
export function testNamespace(): string {
  let name = 't';
  for (let i = 0; i < 9; i++) name += ALPHABET[randomInt(ALPHABET.length)];
  return name;
}

/** The shared NATS URL that Jest's globalSetup (or the caller) put in NATS_URL. */
export function sharedNatsUrl(): string {
  const url = process.env['NATS_URL'];
  if (!url) throw new SharedServiceUnsetError('NATS_URL');
  return url;
}

/** The shared PostgreSQL URL that Jest's globalSetup (or the caller) put in DATABASE_URL. */
export function sharedDatabaseUrl(): string {
  const url = process.env['DATABASE_URL'];
  if (!url) throw new SharedServiceUnsetError('DATABASE_URL');
  return url;
}

/** Creates a fresh, uniquely named database on `serverUrl` (default: the shared DATABASE_URL). */
export async function testDatabase(serverUrl: string = sharedDatabaseUrl()): Promise<TestDatabase> {
  const name = `test_${testNamespace()}`;
  await admin(serverUrl, `create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      // WITH (FORCE) (PostgreSQL 13+) ends sessions a test left open, which would block the drop.
      await admin(serverUrl, `drop database if exists "${name}" with (force)`);
    },
  };
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
