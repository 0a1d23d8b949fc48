import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Reaper } from './child-process';

const root = join(__dirname, '..', '..', '..');

/** The five services. */
export const APPS = ['ingest', 'parser', 'maintenance-api', 'notifier', 'junos-gateway'] as const;
/** A service name. */
export type AppName = (typeof APPS)[number];

/** Builds an app exactly as `nx build` does (SWC, ~0.1 s). */
export function buildApp(app: AppName): void {
  const r = spawnSync(process.execPath, [join(root, 'tools/build-app.mjs'), app], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build of ${app} failed: ${r.stderr}`);
}

/** The node flags `app` runs with in production (tools/node-flags.json, also read by scripts/start.sh). */
export function nodeFlags(app: AppName): string[] {
  const all = JSON.parse(readFileSync(join(root, 'tools/node-flags.json'), 'utf8')) as Record<string, unknown>;
  const flags = all[app];
  if (!Array.isArray(flags) || !flags.every((f) => typeof f === 'string')) throw new Error(`tools/node-flags.json has no list of flags for ${app}`);
  return flags as string[];
}

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * Ties a spawned service process to this one: killed (SIGKILL) if this process dies without
 * stopping it (a failed test, a Jest worker killed on timeout), so no orphan keeps ports, CPU
 * and its NATS consumers. The watch ends when the child exits.
 */
export function reapWithThisProcess(child: ChildProcess): void {
  if (child.pid === undefined) return;
  const reaper = new Reaper(`kill -9 ${child.pid} 2>/dev/null`);
  child.once('exit', () => reaper.cancel());
}

/** SIGTERM, then SIGKILL if the process has not exited after `graceMs`; resolves the exit code. */
export function stopProcess(child: ChildProcess, exited: Promise<number | null>, graceMs = 15_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  return exited.finally(() => clearTimeout(timer));
}

/** A running built app. */
export interface AppProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM (SIGKILL after 15 s) and wait for exit; resolves the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the built app with this environment (plus PORT) and waits until /healthz answers;
 * `extraFlags` are node flags after the production ones (as an operator's would be).
 */
export async function startApp(app: AppName, env: Record<string, string>, timeoutMs = 20_000, extraFlags: readonly string[] = []): Promise<AppProcess> {
  const port = await freePort();
  // APP_NODE_FLAGS: extra node flags for the app under test (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile a benchmark).
  const flags = [...extraFlags, ...(process.env.APP_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean)];
  const child = spawn(process.execPath, [...nodeFlags(app), ...flags, join(root, `dist/apps/${app}/apps/${app}/src/main.js`)], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  reapWithThisProcess(child);
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode}:\n${out}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${app} did not answer /healthz in ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => out,
    stop: () => stopProcess(child, exited),
  };
}

/** Runs the built app to completion (for config errors): exit code and output. */
export function runAppToExit(app: AppName, env: Record<string, string>): { code: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [join(root, `dist/apps/${app}/apps/${app}/src/main.js`)], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

/** Polls until cond holds. */
export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`${what} not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
