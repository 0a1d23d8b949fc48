import { readFile } from 'node:fs/promises';
import { load as loadYaml } from 'js-yaml';
import { z } from 'zod';
import { InventoryError } from './errors';

const secretRef = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name (its value, or the file named by <NAME>_FILE, holds the secret)');

/** One device of the inventory file. Secrets are never inline: only names of env variables. */
export const DeviceSpec = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(830),
  username: z.string().min(1),
  /** Env variable holding the password (or `<NAME>_FILE` naming a secret file). */
  passwordEnv: secretRef.optional(),
  /** Env variable holding a private key in OpenSSH/PEM form (or `<NAME>_FILE`). */
  privateKeyEnv: secretRef.optional(),
  /** Pinned host-key fingerprints (`SHA256:...`, as `ssh-keygen -lf` prints them). */
  hostKeys: z.array(z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/)).default([]),
  /** Accept an unknown host key once and record it. */
  tofu: z.boolean().default(false),
  /** IANA zone of the device's clock (reboot `at` times are sent in it). */
  timezone: z.string().default('UTC'),
  /** Offer base:1.1 chunked framing (Junos needs rfc-compliant + version-1.1 for it). */
  base11: z.boolean().default(true),
});
/** A device of the inventory. */
export type DeviceSpec = z.output<typeof DeviceSpec>;

const InventoryFile = z.strictObject({ devices: z.array(DeviceSpec) });

/** The device inventory: name -> spec. */
export type Inventory = Map<string, DeviceSpec>;

/** Reads an inventory from a YAML or JSON file (`devices: [...]`); lists every problem at once. */
export async function loadInventory(path: string): Promise<Inventory> {
  let raw: unknown;
  try {
    raw = loadYaml(await readFile(path, 'utf8'));
  } catch (err) {
    throw new InventoryError(`device inventory ${path}: ${(err as Error).message}`, { cause: err });
  }
  return parseInventory(raw, path);
}

/** Validates an already-read inventory document. */
export function parseInventory(raw: unknown, source = 'inventory'): Inventory {
  const parsed = InventoryFile.safeParse(raw);
  if (!parsed.success) {
    throw new InventoryError(`device inventory ${source}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const out: Inventory = new Map();
  for (const d of parsed.data.devices) {
    if (out.has(d.name)) throw new InventoryError(`device inventory ${source}: device ${d.name} listed twice`);
    if (!d.passwordEnv && !d.privateKeyEnv) throw new InventoryError(`device inventory ${source}: device ${d.name} has neither passwordEnv nor privateKeyEnv`);
    out.set(d.name, d);
  }
  return out;
}

/** Resolved credentials of a device. Never log this object. */
export interface DeviceCredentials {
  password?: string;
  privateKey?: string;
}

/** Reads a device's secrets from `env` (`NAME`, or the file named by `NAME_FILE`). */
export async function resolveCredentials(device: DeviceSpec, env: Record<string, string | undefined>): Promise<DeviceCredentials> {
  const read = async (name: string | undefined): Promise<string | undefined> => {
    if (!name) return undefined;
    const direct = env[name];
    if (direct !== undefined && direct !== '') return direct;
    const file = env[`${name}_FILE`];
    if (file) {
      try {
        return (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
      } catch (err) {
        throw new InventoryError(`device ${device.name}: cannot read ${name}_FILE (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
      }
    }
    throw new InventoryError(`device ${device.name}: neither ${name} nor ${name}_FILE is set`);
  };
  return { password: await read(device.passwordEnv), privateKey: await read(device.privateKeyEnv) };
}
