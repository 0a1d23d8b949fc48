import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPS, buildApp, dockerAnswers, freePort, reapWithThisProcess, sharedNatsUrl, testDatabase, testNamespace, until, type TestDatabase } from '@maintwatch/testing';

// Each service started exactly as the image starts it: deploy/entrypoint.sh SERVICE, configured by
// the environment alone, the database URL from a secret file (DATABASE_URL_FILE). Ready on /readyz,
// then SIGTERM: a clean exit well within the pods' 30 s grace. RSS is printed for k8s/README.md.

const ROOT = join(__dirname, '..', '..');
const ENTRYPOINT = join(ROOT, 'deploy', 'entrypoint.sh');
const GRACE_MS = 30_000;

let db: TestDatabase;
let dir: string;
let baseEnv: Record<string, string>;

beforeAll(async () => {
  for (const app of APPS) buildApp(app);
  db = await testDatabase();
  dir = mkdtempSync(join(tmpdir(), 'entrypoint-'));
  writeFileSync(join(dir, 'database-url'), `${db.url}\n`);
  baseEnv = {
    PATH: process.env.PATH ?? '',
    MAINTWATCH_HOME: ROOT,
    HOME: dir,
    NATS_URL: sharedNatsUrl(),
    NATS_NAMESPACE: testNamespace(),
    DATABASE_URL_FILE: join(dir, 'database-url'),
    JUNOS_HOST_KEYS_FILE: join(dir, 'junos-host-keys.json'),
    LOG_LEVEL: 'warn',
  };
}, 120_000);

afterAll(async () => {
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function rssKb(pid: number): number {
  const r = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}

describe('deploy/entrypoint.sh', () => {
  it('entrypoint - migrate brings the schema up to date and exits 0, twice', () => {
    for (let i = 0; i < 2; i++) {
      const r = spawnSync('sh', [ENTRYPOINT, 'migrate'], { env: baseEnv, encoding: 'utf8', timeout: 60_000 });
      expect([r.status, r.stderr]).toEqual([0, expect.stringContaining('schema up to date')]);
    }
  });

  it('entrypoint - an unknown name is refused with the usage', () => {
    const r = spawnSync('sh', [ENTRYPOINT, 'nope'], { env: baseEnv, encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([64, expect.stringContaining('usage: maintwatch')]);
  });

  it.each(APPS)('entrypoint - %s becomes ready, then exits 0 on SIGTERM within the grace', async (app) => {
    const port = await freePort();
    // SERVICE picks the service as the image's default command does (no argument).
    const child = spawn('sh', [ENTRYPOINT], { env: { ...baseEnv, SERVICE: app, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    reapWithThisProcess(child);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await until(
      async () => {
        if (child.exitCode !== null) throw new Error(`${app} exited ${child.exitCode}:\n${out}`);
        return (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok === true;
      },
      30_000,
      `${app} /readyz`,
    );
    // A little traffic, as a kubelet and Prometheus make, before reading the resident set.
    for (let i = 0; i < 20; i++) await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
    const pid = child.pid ?? 0;
    console.log(`RSS ${app}: ${Math.round(rssKb(pid) / 1024)} MiB (ready, idle after 20 /metrics scrapes)`);
    const stoppedAt = Date.now();
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), GRACE_MS))]);
    if (code === 'timeout') child.kill('SIGKILL');
    expect([app, code]).toEqual([app, 0]);
    expect(Date.now() - stoppedAt).toBeLessThan(GRACE_MS);
  }, 90_000);
});

// The image itself, when a container engine answers: built from deploy/Dockerfile and the chain
// run in containers. No engine on the project's machines, so this is the one skip, said aloud.
describe('deploy/Dockerfile', () => {
  it('image - builds and starts a command in a container (needs a Docker engine)', async () => {
    if (!(await dockerAnswers())) {
      console.warn('image test SKIPPED: no Docker engine answers on this machine (testcontainers found no container runtime)');
      return;
    }
    const { GenericContainer } = await import('testcontainers');
    const image = await GenericContainer.fromDockerfile(ROOT, 'deploy/Dockerfile').build('maintwatch:test', { deleteOnExit: true });
    const c = await image.withCommand(['token', '--help']).start();
    await c.stop();
  }, 900_000);
});
