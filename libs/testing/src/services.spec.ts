import { spawn } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { connect } from '@nats-io/transport-node';
import { findBinary } from './child-process';
import {
  MissingServiceBinaryError,
  sharedDatabaseUrl,
  sharedNatsUrl,
  SharedServiceUnsetError,
  startSharedServices,
  stopSharedServices,
  testNamespace,
} from './index';

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function selectOne(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  await client.connect();
  try {
    await client.query('select 1');
  } finally {
    await client.end();
  }
}

describe('testNamespace', () => {
  it('namespace - short, lowercase and unique', () => {
    const names = Array.from({ length: 1000 }, () => testNamespace());
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9]{5,11}$/);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('errors', () => {
  it('errors - a missing binary names the Debian package and the install script', () => {
    let thrown: unknown;
    try {
      findBinary('maintwatch-no-such-server', 'maintwatch-no-such-package');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(MissingServiceBinaryError);
    expect((thrown as Error).message).toMatch(/maintwatch-no-such-server.*"maintwatch-no-such-package"/);
    expect((thrown as Error).message).toContain('scripts/ensure-services.sh');
  });
});

describe('shared services', () => {
  const saved = { NATS_URL: process.env['NATS_URL'], DATABASE_URL: process.env['DATABASE_URL'] };

  afterEach(async () => {
    await stopSharedServices();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('shared services - the URLs from the environment win and nothing is started', async () => {
    const shared = await startSharedServices();
    expect(shared).toEqual({
      natsUrl: saved.NATS_URL,
      natsSource: 'env',
      databaseUrl: saved.DATABASE_URL,
      databaseSource: 'env',
    });
    await stopSharedServices();
    expect(process.env['NATS_URL']).toBe(saved.NATS_URL);
    await selectOne(sharedDatabaseUrl());
  });

  it('shared services - without env URLs one NATS and one PostgreSQL start, and stop after', async () => {
    delete process.env['NATS_URL'];
    delete process.env['DATABASE_URL'];
    expect(() => sharedNatsUrl()).toThrow(SharedServiceUnsetError);

    const started = Date.now();
    const shared = await startSharedServices();
    const startMs = Date.now() - started;
    expect(startMs).toBeLessThan(10_000);
    expect(shared.natsSource).not.toBe('env');
    expect(sharedNatsUrl()).toBe(shared.natsUrl);
    expect(sharedDatabaseUrl()).toBe(shared.databaseUrl);
    expect(shared.natsUrl).not.toBe(saved.NATS_URL);
    const nc = await connect({ servers: shared.natsUrl, reconnect: false });
    await nc.close();
    await selectOne(shared.databaseUrl);

    await stopSharedServices();
    expect(process.env['NATS_URL']).toBeUndefined();
    expect(process.env['DATABASE_URL']).toBeUndefined();
    expect(await listening(Number(new URL(shared.natsUrl).port))).toBe(false);
    expect(await listening(Number(new URL(shared.databaseUrl).port))).toBe(false);
  });
});

describe('reaper', () => {
  it('reaper - a killed test process leaves no server behind', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'hold-services.fixture.ts')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const deadline = Date.now() + 20_000;
    while (!out.includes('\n') && child.exitCode === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!out.includes('\n')) {
      child.kill('SIGKILL');
      throw new Error(`fixture did not start: ${err}`);
    }
    const { ports } = JSON.parse(out) as { ports: number[] };
    for (const port of ports) expect(await listening(port)).toBe(true);

    child.kill('SIGKILL');
    await exited;
    const gone = Date.now() + 8000;
    let alive = ports;
    while (alive.length > 0 && Date.now() < gone) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const checks = await Promise.all(alive.map(async (port) => ((await listening(port)) ? [port] : [])));
      alive = checks.flat();
    }
    expect(alive).toEqual([]);
  });
});
