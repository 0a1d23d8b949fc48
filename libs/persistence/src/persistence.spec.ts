import { Client } from 'pg';
import { lifecycleEventId, type LifecycleEvent } from '@maintwatch/contracts';
import { ownPostgres, testDatabase, type PostgresHandle, type TestDatabase } from '@maintwatch/testing';
import { createDataSource } from './data-source';
import { StoreConflictError, StoreUnavailableError } from './errors';
import { MIGRATIONS } from './migrations';
import { LOCKS } from './repositories/clock.repository';
import { Store } from './store';

async function sql<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

const event = (maintenanceId: string, type: 'new' | 'updated', version: number): LifecycleEvent => ({
  eventId: lifecycleEventId('zayo', maintenanceId, type, version),
  type,
  occurredAt: 1_800_000_000,
  maintenance: {
    providerType: 'zayo',
    providerName: 'Zayo',
    maintenanceId,
    account: 'A',
    status: 'CONFIRMED',
    start: 1_800_000_000,
    end: 1_800_003_600,
    summary: 's',
    sequence: 1,
    stamp: 1_799_000_000,
    version,
    circuits: [],
    redundancyGroups: [],
  },
  changes: [],
});

describe('persistence - schema', () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(dbs.map((d) => d.drop()));
  });

  it('migrations build exactly the schema the entities describe', async () => {
    const db = await testDatabase();
    dbs.push(db);
    const store = await Store.open({ url: db.url });
    await store.close();
    const ds = createDataSource({ url: db.url });
    await ds.initialize();
    try {
      // This prints pg's DeprecationWarning "client.query() when the client is already executing
      // a query": TypeORM 0.3.31's loadTables still maps columns in a Promise.all that looks up
      // enum type names on one connection (typeorm#12105 serialised the rest). Only the schema
      // builder does this; the services run migrations, never the schema builder.
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('replicas starting together run each migration once', async () => {
    const db = await testDatabase();
    dbs.push(db);
    const stores = await Promise.all([1, 2, 3].map(() => Store.open({ url: db.url })));
    await Promise.all(stores.map((s) => s.close()));
    expect(await sql(db.url, 'SELECT name FROM migrations ORDER BY id')).toEqual(MIGRATIONS.map((m) => ({ name: m.name })));
  });

  it('the migrations can be undone and redone', async () => {
    const db = await testDatabase();
    dbs.push(db);
    const ds = createDataSource({ url: db.url });
    await ds.initialize();
    try {
      const tables = `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`;
      await ds.runMigrations();
      const built = await sql(db.url, tables);
      expect(built.length).toBeGreaterThanOrEqual(13);
      for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration();
      expect(await sql(db.url, tables)).toEqual([]);
      await ds.runMigrations();
      expect(await sql(db.url, tables)).toEqual(built);
    } finally {
      await ds.destroy();
    }
  });
});

describe('persistence - repositories', () => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = await testDatabase();
    store = await Store.open({ url: db.url });
    await store.repos.providers.seedBuiltIns([{ type: 'zayo', name: 'Zayo', senders: ['zayo.com'], defaultOrganizer: 'mr@zayo.com' }]);
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('circuits - found by any of their names, whatever the case and spacing', async () => {
    const c = await store.repos.circuits.create({
      providerType: 'zayo',
      providerCircuitId: 'OGYX/100200//ZYO',
      aliases: ['OGYX-100200-ZYO'],
      redundancyGroup: 'fra-transit',
      deviceBinding: { device: 'edge1.fra', interface: 'et-0/0/1' },
    });
    const found = await store.repos.circuits.findByKeys('zayo', ['ogyx/100200//zyo', 'ogyx-100200-zyo', 'other']);
    expect(found.get('ogyx/100200//zyo')?.id).toBe(c.id);
    expect(found.get('ogyx-100200-zyo')?.id).toBe(c.id);
    expect(found.has('other')).toBe(false);
    expect(c).toMatchObject({ aliases: ['OGYX-100200-ZYO'], verified: true, deviceBinding: { device: 'edge1.fra', interface: 'et-0/0/1' } });
  });

  it('circuits - a name another circuit of the provider uses is refused', async () => {
    const a = await store.repos.circuits.create({ providerType: 'zayo', providerCircuitId: 'A-1' });
    await store.repos.circuits.create({ providerType: 'zayo', providerCircuitId: 'B-1' });
    await expect(store.repos.circuits.addAlias(a.id, ' b-1 ')).rejects.toBeInstanceOf(StoreConflictError);
    await expect(store.repos.circuits.create({ providerType: 'zayo', providerCircuitId: 'a-1' })).rejects.toBeInstanceOf(StoreConflictError);
  });

  it('providers - a new release refreshes built-in defaults and keeps operator edits', async () => {
    await store.repos.providers.update('zayo', { senders: ['noc@zayo.example'] });
    await store.repos.providers.seedBuiltIns([{ type: 'zayo', name: 'Zayo Group', senders: ['zayo.com'], defaultOrganizer: 'mr@zayo.com' }]);
    expect(await store.repos.providers.get('zayo')).toMatchObject({ name: 'Zayo Group', senders: ['noc@zayo.example'], builtIn: true });
    await store.repos.providers.update('zayo', { senders: null });
    expect((await store.repos.providers.get('zayo'))?.senders).toEqual(['zayo.com']);
    expect(await store.repos.providers.seedBuiltIns([{ type: 'zayo', name: 'Zayo Group', senders: ['zayo.com'], defaultOrganizer: 'mr@zayo.com' }])).toBe(0);
  });

  it('notices - the bytes are stored once; a reprocessing attempt only raises the attempt', async () => {
    const meta = { noticeId: 'imap:x@y', source: 'imap', receivedAt: 1_800_000_000, size: 3, sha256: 'a'.repeat(64), attempt: 1, correlationId: 'c' };
    expect(await store.repos.notices.saveRaw(meta, Buffer.from('abc'))).toBe('stored');
    expect(await store.repos.notices.saveRaw(meta, Buffer.from('abc'))).toBe('known');
    expect(await store.repos.notices.saveRaw({ ...meta, attempt: 2 }, Buffer.from('abc'))).toBe('known');
    const raw = await store.repos.notices.getRaw('imap:x@y');
    expect(raw?.attempt).toBe(2);
    expect(raw?.body.toString()).toBe('abc');
  });

  it('notices - many in one statement: each answered in order, the same id twice stored once with the highest attempt', async () => {
    const meta = (id: string, attempt = 1) => ({ noticeId: id, source: 'imap', receivedAt: 1_800_000_000, size: 3, sha256: 'b'.repeat(64), attempt, correlationId: 'c' });
    expect(await store.repos.notices.saveRaw(meta('imap:old@y'), Buffer.from('old'))).toBe('stored');
    const answers = await store.repos.notices.saveRawMany([
      { meta: meta('imap:b@y'), body: Buffer.from('bbb') },
      { meta: meta('imap:old@y', 3), body: Buffer.from('old') },
      { meta: meta('imap:a@y'), body: Buffer.from('aaa') },
      { meta: meta('imap:b@y', 2), body: Buffer.from('bbb') },
    ]);
    expect(answers).toEqual(['stored', 'known', 'stored', 'known']);
    expect(await store.repos.notices.saveRawMany([{ meta: meta('imap:a@y'), body: Buffer.from('aaa') }])).toEqual(['known']);
    expect(await store.repos.notices.saveRawMany([])).toEqual([]);
    const [a, b, old] = await Promise.all(['imap:a@y', 'imap:b@y', 'imap:old@y'].map((id) => store.repos.notices.getRaw(id)));
    expect([a?.body.toString(), a?.attempt]).toEqual(['aaa', 1]);
    expect([b?.body.toString(), b?.attempt]).toEqual(['bbb', 2]);
    expect([old?.body.toString(), old?.attempt]).toEqual(['old', 3]);
  });

  it('notices - unparsed and ignored records, many in one statement: new ones true in order, a repeat (in the batch or stored before) false', async () => {
    const notices = store.repos.notices;
    expect(await notices.recordUnparsed({ noticeId: 'imap:u1@y', attempt: 1, providerType: 'zayo', reasons: ['no window'] })).toBe(true);
    const unparsed = await notices.recordUnparsedMany([
      { noticeId: 'imap:u2@y', attempt: 1, reasons: ['no id', 'no window'] },
      { noticeId: 'imap:u1@y', attempt: 1, reasons: ['no window'] },
      { noticeId: 'imap:u1@y', attempt: 2, sender: 'noc@zayo.com', subject: 'Maintenance', reasons: ['again'] },
      { noticeId: 'imap:u2@y', attempt: 1, reasons: ['no id', 'no window'] },
    ]);
    expect(unparsed).toEqual([true, false, true, false]);
    expect(await notices.unparsedFor('imap:u1@y')).toEqual([
      { attempt: 1, providerType: 'zayo', reasons: ['no window'] },
      { attempt: 2, reasons: ['again'] },
    ]);
    expect(await notices.unparsedFor('imap:u2@y')).toEqual([{ attempt: 1, reasons: ['no id', 'no window'] }]);
    const ignored = await notices.recordIgnoredMany([
      { noticeId: 'imap:i1@y', attempt: 1, sender: 'news@x.example', reason: 'not a maintenance notice' },
      { noticeId: 'imap:i2@y', attempt: 1, reason: 'unknown sender' },
      { noticeId: 'imap:i1@y', attempt: 1, reason: 'not a maintenance notice' },
    ]);
    expect(ignored).toEqual([true, true, false]);
    expect(await notices.recordIgnored({ noticeId: 'imap:i2@y', attempt: 1, reason: 'unknown sender' })).toBe(false);
    expect(await notices.ignoredFor('imap:i1@y')).toEqual([{ attempt: 1, reason: 'not a maintenance notice' }]);
    expect(await notices.recordUnparsedMany([])).toEqual([]);
  });

  it('outbox - an event id is written once, and claimed in order', async () => {
    const e1 = event('T-1', 'new', 1);
    const e2 = event('T-1', 'updated', 2);
    expect(await store.repos.outbox.enqueue([{ event: e1 }, { event: e2 }])).toBe(2);
    expect(await store.repos.outbox.enqueue([{ event: e1 }])).toBe(0);
    const claimed = await store.transaction((r) => r.outbox.claim(10));
    expect(claimed.map((c) => c.eventId)).toEqual([e1.eventId, e2.eventId]);
    expect(claimed[0]!.payload).toEqual(e1);
  });

  it('locks - one transaction at a time holds the clock lock', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let first!: Promise<boolean>;
    const gotFirst = new Promise<boolean>((resolve) => {
      first = store.transaction(async (r) => {
        const got = await r.clock.tryTransactionLock(LOCKS.clock);
        resolve(got);
        await held;
        return got;
      });
    });
    expect(await gotFirst).toBe(true);
    expect(await store.transaction((r) => r.clock.tryTransactionLock(LOCKS.clock))).toBe(false);
    release();
    await first;
    expect(await store.transaction((r) => r.clock.tryTransactionLock(LOCKS.clock))).toBe(true);
  });
});

describe('persistence - PostgreSQL restarts', () => {
  let pg: PostgresHandle;
  let store: Store;
  beforeAll(async () => {
    // Durable: a killed server must come back with every commit (the defaults lose the last ones).
    pg = await ownPostgres({ durable: true });
    expect(await sql(pg.url, 'SHOW fsync')).toEqual([{ fsync: 'on' }]);
  });
  afterAll(async () => {
    await store?.close();
    await pg?.stop();
  });

  it('calls fail as unavailable while PostgreSQL is down and work again when it is back', async () => {
    store = await Store.open({ url: pg.url, connectTimeoutMs: 500 });
    await store.ping();
    await pg.kill();
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.transaction((r) => r.providers.list())).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.repos.providers.list()).rejects.toBeInstanceOf(StoreUnavailableError);
    await pg.restart();
    await store.ping();
    expect(await store.repos.providers.list()).toEqual([]);
  });

  it('a store started while PostgreSQL is down starts by itself once it answers', async () => {
    await pg.kill();
    const late = new Store({ url: pg.url, connectTimeoutMs: 500 });
    const errors: unknown[] = [];
    late.startInBackground({ retryMs: 100, onError: (e) => errors.push(e) });
    await expect(late.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await pg.restart();
    await late.whenStarted();
    await late.ping();
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e instanceof StoreUnavailableError)).toBe(true);
    await late.close();
  });
});
