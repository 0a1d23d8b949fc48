import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { MissingServiceBinaryError, ServiceStartError } from './errors';

const LOG_TAIL_CHARS = 4000;

/** Where Debian puts server binaries, which a non-root PATH often lacks. */
const SYSTEM_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin', '/sbin', '/bin'];

/** Finds `name` on PATH or in the system dirs, else throws naming the Debian package to install. */
export function findBinary(name: string, debianPackage: string): string {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean), ...SYSTEM_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new MissingServiceBinaryError(name, debianPackage);
}

/** A fresh temp dir readable by other users (service users must reach files inside it). */
export async function makeTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `maintwatch-${prefix}-`));
  await chmod(dir, 0o755);
  return dir;
}

/** Removes a temp dir; never throws (cleanup must not hide a test's own failure). */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
}

/** A free TCP port on 127.0.0.1 at the time of asking (callers retry when a race takes it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Thrown by a start attempt whose port was taken meanwhile; the caller picks another port. */
export class PortTakenError extends Error {
  override readonly name = 'PortTakenError';
}

/** True when a server log says its listen port was taken. */
export function saysPortTaken(log: string): boolean {
  return /address already in use|could not bind|EADDRINUSE/i.test(log);
}

/** Runs `attempt` on fresh free ports until one is not raced away (a few tries). */
export async function onFreePort<T>(attempt: (port: number) => Promise<T>, tries = 5): Promise<T> {
  for (let i = 1; ; i++) {
    const port = await freePort();
    try {
      return await attempt(port);
    } catch (err) {
      if (!(err instanceof PortTakenError) || i >= tries) throw err;
    }
  }
}

/** Runs `attempt` on the same port until the port is free again (another process may hold it briefly). */
export async function onSamePort<T>(attempt: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof PortTakenError) || Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}

/** Resolves after `ms` without keeping the process alive. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Options for commands run on behalf of a service user. */
export interface RunOptions {
  uid?: number;
  gid?: number;
  cwd?: string;
  timeoutMs?: number;
}

/** Runs a command to completion; throws ServiceStartError with its output when it fails. */
export function run(file: string, args: string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        uid: options.uid,
        gid: options.gid,
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 30_000,
        env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
        maxBuffer: 4 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (err) {
          reject(new ServiceStartError(`${file} ${args.join(' ')} failed: ${tail(output)}`, { cause: err }));
        } else {
          resolve(output);
        }
      },
    );
  });
}

/** The last part of a log, for error messages. */
export function tail(text: string): string {
  return text.length > LOG_TAIL_CHARS ? `...${text.slice(-LOG_TAIL_CHARS)}` : text;
}

/** A long-running server process whose output is kept (tail only) for readiness and error messages. */
export class ServerProcess {
  private output = '';
  private readonly exited: Promise<void>;
  private done = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly group: boolean,
  ) {
    const keep = (chunk: Buffer): void => {
      // Keep reading forever: a full pipe would block the server.
      this.output = (this.output + chunk.toString('utf8')).slice(-LOG_TAIL_CHARS * 2);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.output += `\n[exited: ${signal ?? code}]`;
        this.done = true;
        resolve();
      });
      child.on('error', (err) => {
        this.output += `\n${err.message}`;
        this.done = true;
        resolve();
      });
    });
  }

  /**
   * Spawns `file`. With `group`, it leads a process group of its own and kill() signals the
   * whole group (for servers that fork workers); a Reaper must then cover Ctrl-C.
   */
  static spawn(file: string, args: string[], options: { cwd?: string; group?: boolean } = {}): ServerProcess {
    const child = spawn(file, args, {
      cwd: options.cwd,
      detached: options.group ?? false,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    });
    return new ServerProcess(child, options.group ?? false);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.done;
  }

  get log(): string {
    return tail(this.output);
  }

  /** Waits until the output matches `ready`; throws PortTakenError or ServiceStartError if it exits first. */
  async waitForOutput(ready: RegExp, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready.test(this.output)) {
      if (!this.running) {
        if (saysPortTaken(this.output)) throw new PortTakenError(this.output);
        throw new ServiceStartError(`${what} exited before it was ready:\n${this.log}`);
      }
      if (Date.now() > deadline) {
        await this.kill('SIGKILL');
        throw new ServiceStartError(`${what} not ready after ${timeoutMs} ms:\n${this.log}`);
      }
      await sleep(10);
    }
  }

  /** Sends `signal` and waits for the exit; escalates to SIGKILL after `graceMs`. */
  async kill(signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
    if (!this.running) return;
    this.signal(signal);
    const timer = setTimeout(() => void this.killGroup(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGKILLs the process and, for a group leader, every process of its group (forked workers too). */
  async killGroup(): Promise<void> {
    if (this.group && this.child.pid !== undefined) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    }
    await this.kill('SIGKILL');
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      this.child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

/** Cleans up after a service if this Node process dies without stopping it (Ctrl-C, a killed Jest worker). */
export class Reaper {
  private readonly pid: number | undefined;

  /** `script` is a /bin/sh script run once this process is gone. */
  constructor(script: string) {
    // A detached shell polls for our pid: the only watchdog that also survives SIGKILL of this process.
    const watch = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${script}`;
    const child = spawn('/bin/sh', ['-c', watch], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
    this.pid = child.pid;
  }

  /** Stops watching (the service was stopped normally). */
  cancel(): void {
    if (this.pid === undefined) return;
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Quotes a path for a /bin/sh script. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
