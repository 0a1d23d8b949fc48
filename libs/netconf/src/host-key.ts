import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The OpenSSH-style SHA-256 fingerprint of a raw SSH public key blob (`SHA256:` + unpadded base64). */
export function sshFingerprint(key: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
}

/** Where trust-on-first-use host keys are recorded: device name -> fingerprint. */
export interface HostKeyStore {
  /** The recorded fingerprint of a device, if any. */
  get(device: string): Promise<string | undefined>;
  /** Records a device's fingerprint (first use). */
  record(device: string, fingerprint: string): Promise<void>;
}

/** A HostKeyStore in a JSON file, written atomically (temp file + rename). */
export class FileHostKeyStore implements HostKeyStore {
  private writes: Promise<void> = Promise.resolve();
  constructor(private readonly path: string) {}

  async get(device: string): Promise<string | undefined> {
    return (await this.load())[device];
  }

  record(device: string, fingerprint: string): Promise<void> {
    // Serialised so two first connections at once do not lose each other's entry.
    this.writes = this.writes.then(async () => {
      const all = await this.load();
      all[device] = fingerprint;
      await mkdir(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(all, null, 2) + '\n', { mode: 0o600 });
      await rename(tmp, this.path);
    });
    return this.writes;
  }

  private async load(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as Record<string, string>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
  }
}

/** A HostKeyStore in memory (tests, or when nothing may be written). */
export class MemoryHostKeyStore implements HostKeyStore {
  readonly keys = new Map<string, string>();
  async get(device: string): Promise<string | undefined> {
    return this.keys.get(device);
  }
  async record(device: string, fingerprint: string): Promise<void> {
    this.keys.set(device, fingerprint);
  }
}
