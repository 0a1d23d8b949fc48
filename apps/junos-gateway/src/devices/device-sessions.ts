import { NetconfError, NetconfSession, resolveCredentials, type DeviceSpec, type HostKeyStore, type Inventory, type RpcObserver } from '@maintwatch/netconf';

/** The device is not in the inventory (a permanent fault: the request cannot succeed later). */
export class UnknownDeviceError extends NetconfError {
  override readonly name = 'UnknownDeviceError';
}

/**
 * NETCONF sessions per inventory device: one shared session for quick RPCs (its queue keeps
 * one RPC in flight), reopened when it dropped, and throw-away sessions for long jobs (RSI,
 * archives) so they never hold the shared queue for other users' commands.
 */
export class DeviceSessions {
  private readonly shared = new Map<string, Promise<NetconfSession>>();

  constructor(
    private readonly inventory: Inventory,
    private readonly env: Readonly<Record<string, string | undefined>>,
    private readonly hostKeys: HostKeyStore,
    private readonly observer?: RpcObserver,
  ) {}

  /** The inventory entry of a device. */
  device(name: string): DeviceSpec {
    const d = this.inventory.get(name);
    if (!d) throw new UnknownDeviceError(`device ${name} is not in the inventory`);
    return d;
  }

  /** Runs `fn` on the device's shared session (opened or reopened as needed). */
  async withSession<T>(name: string, fn: (s: NetconfSession) => Promise<T>): Promise<T> {
    let pending = this.shared.get(name);
    if (pending) {
      const s = await pending.catch(() => undefined);
      if (!s || s.closed) pending = undefined;
    }
    if (!pending) {
      pending = this.open(name);
      this.shared.set(name, pending);
      pending.catch(() => this.shared.delete(name));
    }
    return fn(await pending);
  }

  /** Runs `fn` on a session of its own, closed afterwards. */
  async withOwnSession<T>(name: string, fn: (s: NetconfSession) => Promise<T>): Promise<T> {
    const s = await this.open(name);
    try {
      return await fn(s);
    } finally {
      await s.close();
    }
  }

  /** Closes every shared session (close-session, then SSH end). */
  async closeAll(): Promise<void> {
    const all = [...this.shared.values()];
    this.shared.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.close()));
  }

  private async open(name: string): Promise<NetconfSession> {
    const d = this.device(name);
    const creds = await resolveCredentials(d, this.env);
    return NetconfSession.connect({
      device: d.name,
      host: d.host,
      port: d.port,
      username: d.username,
      password: creds.password,
      privateKey: creds.privateKey,
      hostKey: { pinned: d.hostKeys, tofu: d.tofu, store: this.hostKeys },
      offerBase11: d.base11,
      observer: this.observer,
    });
  }
}
