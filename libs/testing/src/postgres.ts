import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import {
  findBinary,
  makeTempDir,
  onFreePort,
  onSamePort,
  PortTakenError,
  Reaper,
  removeDir,
  run,
  saysPortTaken,
  shellQuote,
  sleep,
  tail,
} from './child-process';
import { ContainerService, startContainer } from './container';
import { dockerAnswers } from './docker';
import { MissingServiceBinaryError, NotOwnedServiceError, ServiceStartError } from './errors';
import { RestartOptions, ServiceSource } from './service';

/** The image used when a container engine answers (the machines run PostgreSQL 15). */
const POSTGRES_IMAGE = 'postgres:15-alpine';

/** A PostgreSQL server for tests (trust auth, superuser `postgres`). */
export interface PostgresHandle {
  /** Where it came from: the environment (shared, not ours), a testcontainer or a local cluster. */
  readonly source: ServiceSource;
  /** `postgres://user@host:port/database`, stable across restart(). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stops the server (fast shutdown) and starts it again on the same port with the same data. */
  restart(options?: RestartOptions): Promise<void>;
  /** Crashes the server (immediate shutdown: no checkpoint); restart() brings it back with its data. */
  kill(): Promise<void>;
  /** Stops the server for good and removes its data; a no-op for a server from the environment. */
  stop(): Promise<void>;
}

/** Starts a PostgreSQL server, or adopts DATABASE_URL when set (restart and kill are then refused). */
export async function startPostgres(): Promise<PostgresHandle> {
  const url = process.env['DATABASE_URL'];
  return url ? fromEnv(url) : ownPostgres();
}

/** Options of ownPostgres(). */
export interface OwnPostgresOptions {
  /**
   * Keep PostgreSQL's durability settings on (fsync, synchronous_commit, full_page_writes):
   * for benchmarks of committed writes and for crash tests that must not lose a commit.
   * Default false: a throwaway test cluster skips them (fsync costs seconds per run).
   */
  durable?: boolean;
  /**
   * Server settings given as `-c name=value` at start, such as `{ shared_buffers: '512MB' }`
   * for a benchmark whose data would not fit the default 128 MB.
   */
  settings?: Readonly<Record<string, string>>;
}

/** `-c` arguments of OwnPostgresOptions: durability off unless asked, then the caller's settings. */
function serverSettings(options: OwnPostgresOptions): string[] {
  const settings: Record<string, string> = options.durable ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };
  for (const [name, value] of Object.entries(options.settings ?? {})) {
    // Names and values go on a command line: only what PostgreSQL settings look like.
    if (!/^[a-z_][a-z0-9_.]*$/.test(name) || !/^[A-Za-z0-9_.:/-]+$/.test(value)) {
      throw new RangeError(`PostgreSQL setting ${JSON.stringify(name)}=${JSON.stringify(value)} is not a plain name and value`);
    }
    settings[name] = value;
  }
  return Object.entries(settings).map(([name, value]) => `${name}=${value}`);
}

/** Starts a private PostgreSQL (a testcontainer if Docker answers, else a throwaway local cluster). */
export async function ownPostgres(options: OwnPostgresOptions = {}): Promise<PostgresHandle> {
  const settings = serverSettings(options);
  return (await dockerAnswers()) ? DockerPostgres.start(settings) : LocalPostgres.start(settings);
}

/** Waits until `url` answers `select 1`. */
export async function waitForPostgres(url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    // A server that is starting or shutting down answers with a FATAL the client also emits as
    // an 'error' event; unheard, that event would crash the test process instead of retrying.
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (err) {
      if (Date.now() > deadline) {
        throw new ServiceStartError(`PostgreSQL at ${url} not ready after ${timeoutMs} ms`, { cause: err });
      }
      await sleep(50);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function fromEnv(url: string): PostgresHandle {
  const parsed = new URL(url);
  return {
    source: 'env',
    url,
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    restart: () => Promise.reject(new NotOwnedServiceError('Postgres', 'restart')),
    kill: () => Promise.reject(new NotOwnedServiceError('Postgres', 'kill')),
    stop: () => Promise.resolve(),
  };
}

/** Debian's newest /usr/lib/postgresql/N/bin, else the directory of an initdb on PATH. */
function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const [newest] = versions;
  if (newest) return join(root, newest, 'bin');
  try {
    return dirname(findBinary('initdb', 'postgresql'));
  } catch (err) {
    throw new MissingServiceBinaryError('initdb (/usr/lib/postgresql/*/bin)', 'postgresql', { cause: err });
  }
}

/** initdb refuses to run as root: run the cluster as the `postgres` user then. */
function clusterOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch (err) {
    throw new ServiceStartError(
      'a local PostgreSQL cluster cannot run as root and there is no "postgres" user: ' +
        'install the Debian package "postgresql" (bash scripts/ensure-services.sh)',
      { cause: err },
    );
  }
}

class LocalPostgres implements PostgresHandle {
  readonly source = 'local';
  readonly host = '127.0.0.1';
  private stopped = false;

  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    private readonly owner: { uid: number; gid: number } | undefined,
    readonly port: number,
    private readonly reaper: Reaper,
    private readonly settings: readonly string[],
  ) {}

  get url(): string {
    return `postgres://postgres@${this.host}:${this.port}/postgres`;
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  static async start(settings: readonly string[]): Promise<LocalPostgres> {
    const bin = postgresBinDir();
    const owner = clusterOwner();
    const dir = await makeTempDir('pg');
    const data = join(dir, 'data');
    // SIGQUIT is PostgreSQL's immediate shutdown; its backends follow the postmaster.
    const reaper = new Reaper(
      `kill -QUIT $(head -1 ${shellQuote(join(data, 'postmaster.pid'))}) 2>/dev/null; sleep 1; rm -rf ${shellQuote(dir)}`,
    );
    try {
      if (owner) await chown(dir, owner.uid, owner.gid);
      await run(
        join(bin, 'initdb'),
        ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--no-locale'],
        { ...owner, cwd: dir },
      );
      return await onFreePort(async (port) => {
        const pg = new LocalPostgres(bin, dir, owner, port, reaper, settings);
        await pg.launch();
        return pg;
      });
    } catch (err) {
      reaper.cancel();
      await removeDir(dir);
      throw err;
    }
  }

  async restart(options: RestartOptions = {}): Promise<void> {
    this.assertNotStopped('restart');
    await this.pgCtl(['-m', 'fast', 'stop']).catch(() => undefined);
    if (options.downMs) await sleep(options.downMs);
    await onSamePort(() => this.launch());
  }

  async kill(): Promise<void> {
    this.assertNotStopped('kill');
    await this.pgCtl(['-m', 'immediate', 'stop']).catch(() => undefined);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.pgCtl(['-m', 'fast', 'stop']).catch(() =>
      this.pgCtl(['-m', 'immediate', 'stop']).catch(() => undefined),
    );
    this.reaper.cancel();
    await removeDir(this.dir);
  }

  private async launch(): Promise<void> {
    const log = join(this.dir, 'postgres.log');
    await rm(log, { force: true });
    const serverOptions = [`-p ${this.port}`, `-k ${this.dir}`, '-c listen_addresses=127.0.0.1', ...this.settings.map((s) => `-c ${s}`)].join(' ');
    try {
      await this.pgCtl(['-w', '-t', '30', '-l', log, '-o', serverOptions, 'start']);
    } catch (err) {
      const text = await readFile(log, 'utf8').catch(() => '');
      if (saysPortTaken(text)) throw new PortTakenError(text);
      throw new ServiceStartError(`PostgreSQL on port ${this.port} did not start:\n${tail(text)}`, { cause: err });
    }
  }

  private pgCtl(args: string[]): Promise<string> {
    return run(join(this.bin, 'pg_ctl'), ['-D', this.data, ...args], { ...this.owner, cwd: this.dir });
  }

  private assertNotStopped(operation: string): void {
    if (this.stopped) throw new ServiceStartError(`${operation}() after stop() on PostgreSQL ${this.url}`);
  }
}

class DockerPostgres implements PostgresHandle {
  readonly source = 'docker';

  private constructor(private readonly container: ContainerService) {}

  get host(): string {
    return this.container.host;
  }

  get port(): number {
    return this.container.port;
  }

  get url(): string {
    return `postgres://postgres@${this.host}:${this.port}/postgres`;
  }

  static async start(settings: readonly string[]): Promise<DockerPostgres> {
    // GenericContainer rather than @testcontainers/postgresql: that one adds a random host port
    // binding of its own, and restart() must keep the port.
    const container = await startContainer(5432, ({ GenericContainer, Wait }) =>
      new GenericContainer(POSTGRES_IMAGE)
        .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
        .withCommand(['postgres', ...settings.flatMap((s) => ['-c', s])])
        // The image's entrypoint runs a temporary server first: the second "ready" is the real one.
        .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2)),
    );
    const pg = new DockerPostgres(container);
    await waitForPostgres(pg.url, 30_000);
    return pg;
  }

  async restart(options: RestartOptions = {}): Promise<void> {
    await this.container.halt();
    if (options.downMs) await sleep(options.downMs);
    await this.container.resume();
    await waitForPostgres(this.url, 30_000);
  }

  async kill(): Promise<void> {
    await this.container.kill();
  }

  async stop(): Promise<void> {
    await this.container.remove();
  }
}
