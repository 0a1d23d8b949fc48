import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

const DETECT_TIMEOUT_MS = 5000;

let answer: Promise<boolean> | undefined;

/**
 * True when a container engine answers (asked once per process). A `docker` client binary
 * proves nothing, so this asks the engine itself through testcontainers, with a time limit.
 */
export function dockerAnswers(): Promise<boolean> {
  answer ??= detect();
  return answer;
}

async function detect(): Promise<boolean> {
  // Loading testcontainers costs most of a second; skip it when no engine could be configured.
  if (!engineMayBeConfigured()) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('container engine did not answer')), DETECT_TIMEOUT_MS);
      timer.unref();
    });
    await Promise.race([getContainerRuntimeClient(), timeout]).finally(() => clearTimeout(timer));
    return true;
  } catch {
    return false;
  }
}

/** The places testcontainers' own runtime strategies look (env, config file, known sockets). */
function engineMayBeConfigured(): boolean {
  if (process.env['DOCKER_HOST'] || process.env['TESTCONTAINERS_HOST_OVERRIDE']) return true;
  const home = homedir();
  const xdg = process.env['XDG_RUNTIME_DIR'];
  const candidates = [
    join(home, '.testcontainers.properties'),
    '/var/run/docker.sock',
    join(home, '.docker', 'run', 'docker.sock'),
    join(home, '.docker', 'desktop', 'docker.sock'),
    join('/run', 'user', String(userInfo().uid), 'docker.sock'),
    ...(xdg ? [join(xdg, 'docker.sock')] : []),
  ];
  return candidates.some((path) => existsSync(path));
}
