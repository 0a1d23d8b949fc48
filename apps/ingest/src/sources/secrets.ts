import { readFile } from 'node:fs/promises';
import { env } from '../config';
import { SourceError } from '../errors';

/**
 * Reads a secret a source names: from the variable `<name>` (or the file in `<name>_FILE`, as
 * Docker and Kubernetes mount secrets), or from a file given directly. Read at each connect, so
 * a rotated secret is picked up without a restart. Never logged: errors name only where it was
 * looked for.
 */
export async function readSecret(source: string, what: string, ref: { env?: string; file?: string }): Promise<string> {
  if (ref.env !== undefined) {
    const vars = env();
    const direct = vars[ref.env];
    if (direct !== undefined && direct !== '') return direct;
    const file = vars[`${ref.env}_FILE`];
    if (file) return readSecretFile(source, what, file, `${ref.env}_FILE`);
    throw new SourceError(source, 'config', `${what}: environment variable ${ref.env} (or ${ref.env}_FILE) is not set`);
  }
  if (ref.file !== undefined) return readSecretFile(source, what, ref.file, 'file');
  throw new SourceError(source, 'config', `${what}: no secret configured`);
}

async function readSecretFile(source: string, what: string, path: string, via: string): Promise<string> {
  try {
    const value = (await readFile(path, 'utf8')).trim();
    if (value === '') throw new SourceError(source, 'config', `${what}: ${via} ${path} is empty`);
    return value;
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw new SourceError(source, 'config', `${what}: ${via} ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
