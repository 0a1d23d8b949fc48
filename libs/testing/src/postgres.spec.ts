import { Client } from 'pg';
import {
  NotOwnedServiceError,
  ownPostgres,
  PostgresHandle,
  sharedDatabaseUrl,
  startPostgres,
  testDatabase,
  TestDatabase,
} from './index';

async function query<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  const rows = await query(sharedDatabaseUrl(), 'select 1 from pg_database where datname = $1', [name]);
  return rows.length === 1;
}

describe('postgres (shared)', () => {
  it('postgres - shared server answers select 1', async () => {
    expect(await query(sharedDatabaseUrl(), 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('postgres - startPostgres adopts DATABASE_URL and refuses fault operations on it', async () => {
    const pg = await startPostgres();
    expect(pg.source).toBe('env');
    expect(pg.url).toBe(sharedDatabaseUrl());
    await expect(pg.restart()).rejects.toBeInstanceOf(NotOwnedServiceError);
    await expect(pg.kill()).rejects.toBeInstanceOf(NotOwnedServiceError);
    await pg.stop();
    expect(await query(sharedDatabaseUrl(), 'select 1 as one')).toEqual([{ one: 1 }]);
  });
});

describe('testDatabase', () => {
  const made: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(made.map((db) => db.drop()));
  });

  it('testDatabase - each database is isolated from the others', async () => {
    const a = await testDatabase();
    const b = await testDatabase();
    made.push(a, b);
    expect(a.name).not.toBe(b.name);
    expect(a.url).not.toBe(b.url);
    await query(a.url, 'create table notice (id int primary key)');
    await query(a.url, 'insert into notice values (1)');
    expect(await query(a.url, 'select id from notice')).toEqual([{ id: 1 }]);
    await expect(query(b.url, 'select id from notice')).rejects.toThrow(/does not exist/);
    const [current] = await query<{ db: string }>(a.url, 'select current_database() as db');
    expect(current?.db).toBe(a.name);
  });

  it('testDatabase - drop removes the database even with a session left open', async () => {
    const db = await testDatabase();
    made.push(db);
    const leftOpen = new Client({ connectionString: db.url });
    leftOpen.on('error', () => undefined);
    await leftOpen.connect();
    expect(await databaseExists(db.name)).toBe(true);
    await db.drop();
    expect(await databaseExists(db.name)).toBe(false);
    await expect(query(db.url, 'select 1')).rejects.toThrow(/does not exist/);
    await leftOpen.end().catch(() => undefined);
  });
});

describe('postgres (own server)', () => {
  let pg: PostgresHandle;

  beforeAll(async () => {
    pg = await ownPostgres({ settings: { work_mem: '7MB' } });
  });

  afterAll(async () => {
    await pg?.stop();
  });

  it('postgres - own server is private, never the shared one', async () => {
    expect(pg.source).not.toBe('env');
    expect(pg.url).not.toBe(sharedDatabaseUrl());
    expect(await query(pg.url, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('postgres - own server runs with the settings asked for, and keeps them across a restart', async () => {
    expect(await query(pg.url, 'show work_mem')).toEqual([{ work_mem: '7MB' }]);
    expect(await query(pg.url, 'show fsync')).toEqual([{ fsync: 'off' }]);
    await pg.restart();
    expect(await query(pg.url, 'show work_mem')).toEqual([{ work_mem: '7MB' }]);
  });

  it('postgres - a setting that is not a plain name and value is refused before any server starts', async () => {
    await expect(ownPostgres({ settings: { 'work_mem -c log_directory': '/tmp' } })).rejects.toThrow(RangeError);
    await expect(ownPostgres({ settings: { work_mem: '8MB; rm -rf /' } })).rejects.toThrow(/not a plain name and value/);
  });

  it('postgres - restart keeps the data and the url', async () => {
    await query(pg.url, 'create table kept (v text)');
    await query(pg.url, "insert into kept values ('before restart')");
    const url = pg.url;
    await pg.restart();
    expect(pg.url).toBe(url);
    expect(await query(pg.url, 'select v from kept')).toEqual([{ v: 'before restart' }]);
  });

  it('postgres - kill refuses connections until restart', async () => {
    await pg.kill();
    await expect(query(pg.url, 'select 1')).rejects.toThrow(/ECONNREFUSED|connect/);
    await pg.restart();
    expect(await query(pg.url, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('postgres - testDatabase works on a given server too', async () => {
    const db = await testDatabase(pg.url);
    expect(new URL(db.url).port).toBe(String(pg.port));
    expect(await query(db.url, 'select current_database() as db')).toEqual([{ db: db.name }]);
    await db.drop();
  });
});
