import { createHash } from 'node:crypto';
import type { DeviceEvent, DeviceEventKind } from '@maintwatch/contracts';
import type { Priority } from './priority-rules';

// Junos event ids are documented per daemon prefix (RPD_ = routing, SNMP_TRAP_LINK_ = link
// traps, CHASSISD_ = chassis, UI_COMMIT = commits); the subject's kind is read from them.
const KINDS: [RegExp, DeviceEventKind][] = [
  [/^RPD_(BGP|OSPF|ISIS|LDP|RSVP)_/, 'bgp-state'],
  [/^(SNMP_TRAP_LINK_|LINK_|IFD_|IFL_|LACPD_)|_LINK_(UP|DOWN)$/, 'interface-state'],
  [/ALARM|^CHASSISD_|^FPC_|^PIC_/, 'alarm'],
  [/^UI_COMMIT/, 'commit'],
];

/** The device.event.v1 kind of a Junos event id (`syslog` when none fits). */
export function kindOf(junosEvent: string): DeviceEventKind {
  for (const [re, kind] of KINDS) if (re.test(junosEvent)) return kind;
  return 'syslog';
}

/** Severity on the wire for a stored priority. */
export function severityOf(priority: Exclude<Priority, 4>): DeviceEvent['severity'] {
  return priority === 1 ? 'critical' : priority === 2 ? 'warning' : 'info';
}

/** The event id (Nats-Msg-Id, idempotency key): the same (device, event key) is the same event. */
export function deviceEventId(device: string, eventKey: string): string {
  return `dev-${createHash('sha256').update(`${device}\u0000${eventKey}`).digest('hex').slice(0, 40)}`;
}
