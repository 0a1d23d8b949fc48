import { NetconfSession, children, escapeXml, resolveCredentials, text, type DeviceSpec, type HostKeyStore, type Inventory } from '@maintwatch/netconf';
import type { BgpPeer, JunosConfig, JunosConfigFactory } from './junos-config';

/** A device the drain was asked to act on is not in the inventory: nothing is done. */
export class UnknownDeviceError extends Error {
  override name = 'UnknownDeviceError';
}

/**
 * The drain's view of a device over one NETCONF session: each method is one Junos RPC
 * (spec §1.6). The diff is the difference between the candidate and the committed
 * configuration in `display set` form (both from `get-configuration format="set"`), so it reads
 * like `show | compare` lines (+ added, - removed) and needs no device-side compare support.
 */
export class JunosNetconfConfig implements JunosConfig {
  constructor(private readonly session: NetconfSession) {}

  async lock(): Promise<void> {
    await this.session.rpc('<lock><target><candidate/></target></lock>');
  }

  async unlock(): Promise<void> {
    await this.session.rpc('<unlock><target><candidate/></target></unlock>').catch(() => undefined);
  }

  async loadSet(lines: readonly string[]): Promise<void> {
    await this.session.rpc(`<load-configuration action="set" format="text"><configuration-set>${escapeXml(lines.join('\n'))}</configuration-set></load-configuration>`);
  }

  async commitCheck(): Promise<void> {
    await this.session.rpc('<commit-configuration><check/></commit-configuration>');
  }

  async diff(): Promise<string> {
    const [candidate, committed] = [await this.setLines('candidate'), await this.setLines('committed')];
    const before = new Set(committed);
    const after = new Set(candidate);
    return [...committed.filter((l) => !after.has(l)).map((l) => `- ${l}`), ...candidate.filter((l) => !before.has(l)).map((l) => `+ ${l}`)].join('\n');
  }

  async commitConfirmed(minutes: number, log: string): Promise<void> {
    await this.session.rpc(`<commit-configuration><confirmed/><confirm-timeout>${minutes}</confirm-timeout><log>${escapeXml(log)}</log></commit-configuration>`);
  }

  async commit(log: string): Promise<void> {
    await this.session.rpc(`<commit-configuration><log>${escapeXml(log)}</log></commit-configuration>`);
  }

  async discard(): Promise<void> {
    await this.session.rpc('<discard-changes/>').catch(() => undefined);
  }

  async configurationSet(): Promise<string> {
    return (await this.setLines('committed')).join('\n');
  }

  async bgpPeers(address?: string): Promise<BgpPeer[]> {
    const arg = address ? `<neighbor-address>${escapeXml(address)}</neighbor-address>` : '';
    const r = await this.session.rpc(`<get-bgp-neighbor-information>${arg}</get-bgp-neighbor-information>`);
    return children(r.reply['bgp-information'], 'bgp-peer').map((p) => ({
      // Junos writes "192.0.2.1+179" (address+port).
      address: (text(p, 'peer-address') ?? '').replace(/\+\d+$/, ''),
      group: text(p, 'peer-group') ?? '',
      state: text(p, 'peer-state') ?? '',
    }));
  }

  async interfaceStatus(name: string): Promise<'up' | 'down' | undefined> {
    const r = await this.session
      .rpc(`<get-interface-information><terse/><interface-name>${escapeXml(name)}</interface-name></get-interface-information>`)
      .catch((err: unknown) => {
        // Junos answers an unknown interface with an rpc-error "device ... not found".
        if (/not found/i.test((err as Error).message)) return undefined;
        throw err;
      });
    if (!r) return undefined;
    const phys = children(r.reply['interface-information'], 'physical-interface')[0];
    if (!phys) return undefined;
    return text(phys, 'oper-status') === 'up' ? 'up' : 'down';
  }

  async close(): Promise<void> {
    await this.session.close();
  }

  private async setLines(database: 'candidate' | 'committed'): Promise<string[]> {
    const r = await this.session.rpc(`<get-configuration database="${database}" format="set"/>`);
    return (text(r.reply, 'configuration-set') ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
  }
}

/** Opens drain sessions to the inventory's devices; unknown devices are refused. */
export function netconfDevices(inventory: Inventory, env: Record<string, string | undefined>, hostKeys: HostKeyStore): JunosConfigFactory {
  return async (name) => {
    const spec: DeviceSpec | undefined = inventory.get(name);
    if (!spec) throw new UnknownDeviceError(`device ${name} is not in the device inventory`);
    const creds = await resolveCredentials(spec, env);
    const session = await NetconfSession.connect({
      device: spec.name,
      host: spec.host,
      port: spec.port,
      username: spec.username,
      ...(creds.password !== undefined ? { password: creds.password } : {}),
      ...(creds.privateKey !== undefined ? { privateKey: creds.privateKey } : {}),
      hostKey: { pinned: spec.hostKeys, tofu: spec.tofu, store: hostKeys },
      offerBase11: spec.base11,
    });
    return new JunosNetconfConfig(session);
  };
}

