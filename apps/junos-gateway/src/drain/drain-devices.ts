import { FileHostKeyStore, loadInventory, type Inventory } from '@maintwatch/netconf';
import { deviceSecretEnv, type JunosConfig } from '../config';
import type { JunosConfigFactory } from './junos-config';
import { UnknownDeviceError, netconfDevices } from './junos-netconf-config';

/**
 * The drain's device sessions from the gateway's config: the inventory file is read once, on
 * first use (a bad file fails that drain with the file's problems listed, and the next one
 * tries again). Without an inventory every drain fails with the reason, nothing is touched.
 */
export function drainDevices(config: JunosConfig): JunosConfigFactory {
  let inventory: Promise<Inventory> | undefined;
  const hostKeys = new FileHostKeyStore(config.JUNOS_HOST_KEYS_FILE);
  return async (device) => {
    if (!config.JUNOS_DEVICES_FILE) throw new UnknownDeviceError(`no device inventory (JUNOS_DEVICES_FILE is not set): ${device} cannot be acted on`);
    inventory ??= loadInventory(config.JUNOS_DEVICES_FILE).catch((err: unknown) => {
      inventory = undefined;
      throw err;
    });
    return netconfDevices(await inventory, deviceSecretEnv(), hostKeys)(device);
  };
}
