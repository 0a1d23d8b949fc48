import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { join } from 'node:path';
import {
  findBinary,
  makeTempDir,
  onFreePort,
  onSamePort,
  Reaper,
  removeDir,
  ServerProcess,
  shellQuote,
  sleep,
} from './child-process';
import { ContainerService, startContainer } from './container';
import { dockerAnswers } from './docker';
import { NotOwnedServiceError, ServiceStartError } from './errors';
import { RestartOptions, ServiceSource } from './service';

/** The image used when a container engine answers (JetStream needs 2.2+). */
const NATS_IMAGE = 'nats:2.10';

/** A NATS server with JetStream for tests. */
export interface NatsServerHandle {
  /** Where it came from: the environment (shared, not ours), a testcontainer or a local process. */
  readonly source: ServiceSource;
  /** `nats://host:port`, stable across restart(). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stops the server gracefully and starts it again on the same port with the same JetStream store. */
  restart(options?: RestartOptions): Promise<void>;
  /** SIGKILLs the server (no graceful shutdown); restart() brings it back with its store. */
  kill(): Promise<void>;
  /** Stops the server for good and removes its store; a no-op for a server from the environment. */
  stop(): Promise<void>;
}

/** Starts a NATS server, or adopts NATS_URL when set (restart and kill are then refused). */
export async function startNats(): Promise<NatsServerHandle> {
  const url = process.env['NATS_URL'];
  return url ? fromEnv(url) : ownNats();
}

/** Starts a private NATS server with JetStream (a testcontainer if Docker answers, else a local nats-server). */
export async function ownNats(): Promise<NatsServerHandle> {
  return (await dockerAnswers()) ? DockerNats.start() : LocalNats.start();
}

/** Waits until `url` accepts a connection and the JetStream API answers. */
export async function waitForJetStream(url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const nc = await connect({ servers: url, reconnect: false, timeout: 1000 });
      try {
        const jsm = await jetstreamManager(nc, { timeout: 1000 });
        await jsm.getAccountInfo();
        return;
      } finally {
        await nc.close();
      }
    } catch (err) {
      if (Date.now() > deadline) {
        throw new ServiceStartError(`JetStream at ${url} not ready after ${timeoutMs} ms`, { cause: err });
      }
      await sleep(25);
    }
  }
}

function fromEnv(url: string): NatsServerHandle {
  const [first = url] = url.split(',').map((part) => part.trim());
  const parsed = new URL(first.includes('://') ? first : `nats://${first}`);
  return {
    source: 'env',
    url,
    host: parsed.hostname,
    port: Number(parsed.port || 4222),
    restart: () => Promise.reject(new NotOwnedServiceError('Nats', 'restart')),
    kill: () => Promise.reject(new NotOwnedServiceError('Nats', 'kill')),
    stop: () => Promise.resolve(),
  };
}

class LocalNats implements NatsServerHandle {
  readonly source = 'local';
  readonly host = '127.0.0.1';
  private server: ServerProcess | undefined;
  private stopped = false;

  private constructor(
    private readonly binary: string,
    private readonly dir: string,
    readonly port: number,
    private readonly reaper: Reaper,
  ) {}

  get url(): string {
    return `nats://${this.host}:${this.port}`;
  }

  static async start(): Promise<LocalNats> {
    const binary = findBinary('nats-server', 'nats-server');
    const dir = await makeTempDir('nats');
    const pidFile = shellQuote(join(dir, 'nats.pid'));
    const reaper = new Reaper(`kill -9 $(cat ${pidFile}) 2>/dev/null; rm -rf ${shellQuote(dir)}`);
    try {
      return await onFreePort(async (port) => {
        const nats = new LocalNats(binary, dir, port, reaper);
        await nats.launch();
        return nats;
      });
    } catch (err) {
      reaper.cancel();
      await removeDir(dir);
      throw err;
    }
  }

  async restart(options: RestartOptions = {}): Promise<void> {
    this.assertNotStopped('restart');
    await this.server?.kill('SIGTERM');
    if (options.downMs) await sleep(options.downMs);
    await onSamePort(() => this.launch());
  }

  async kill(): Promise<void> {
    this.assertNotStopped('kill');
    await this.server?.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.server?.kill('SIGTERM');
    this.reaper.cancel();
    await removeDir(this.dir);
  }

  private async launch(): Promise<void> {
    const args = ['-a', this.host, '-p', String(this.port), '-js', '-sd', join(this.dir, 'store')];
    const server = ServerProcess.spawn(this.binary, [...args, '-P', join(this.dir, 'nats.pid')], {
      cwd: this.dir,
    });
    this.server = server;
    try {
      await server.waitForOutput(/Server is ready/, `nats-server on port ${this.port}`);
      await waitForJetStream(this.url);
    } catch (err) {
      await server.kill('SIGKILL');
      throw err;
    }
  }

  private assertNotStopped(operation: string): void {
    if (this.stopped) throw new ServiceStartError(`${operation}() after stop() on nats-server ${this.url}`);
  }
}

class DockerNats implements NatsServerHandle {
  readonly source = 'docker';

  private constructor(private readonly container: ContainerService) {}

  get host(): string {
    return this.container.host;
  }

  get port(): number {
    return this.container.port;
  }

  get url(): string {
    return `nats://${this.host}:${this.port}`;
  }

  static async start(): Promise<DockerNats> {
    // GenericContainer rather than @testcontainers/nats: that one always sets a user and password.
    const container = await startContainer(4222, ({ GenericContainer, Wait }) =>
      new GenericContainer(NATS_IMAGE)
        .withCommand(['-js', '-sd', '/data'])
        .withWaitStrategy(Wait.forLogMessage(/Server is ready/)),
    );
    const nats = new DockerNats(container);
    await waitForJetStream(nats.url, 30_000);
    return nats;
  }

  async restart(options: RestartOptions = {}): Promise<void> {
    await this.container.halt();
    if (options.downMs) await sleep(options.downMs);
    await this.container.resume();
    await waitForJetStream(this.url, 30_000);
  }

  async kill(): Promise<void> {
    await this.container.kill();
  }

  async stop(): Promise<void> {
    await this.container.remove();
  }
}
