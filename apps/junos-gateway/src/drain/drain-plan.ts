import type { DeviceBinding, DrainPolicy } from '@maintwatch/contracts';

/** What a drain changes on one device for one circuit of one maintenance, and how to undo it. */
export interface DrainPlan {
  /** The configuration group that holds the drain (`MAINT-<provider>-<id>`), discoverable on the box. */
  readonly group: string;
  /** `set` lines applied by the drain, in order. */
  readonly apply: readonly string[];
  /** The exact lines that undo it, in order. */
  readonly undo: readonly string[];
  /** The commit log message (shown by `show system commit`). */
  readonly log: string;
}

/** A binding that cannot be drained as given (missing neighbor or interface). */
export class DrainPlanError extends Error {
  override name = 'DrainPlanError';
}

// Junos identifiers in set lines: a token without spaces or quotes. Group names allow letters,
// digits, '-' and '_' (max 254); everything else in a provider's maintenance id is folded.
const TOKEN = /^[A-Za-z0-9._:/-]{1,255}$/;

function token(what: string, value: string | undefined): string {
  if (!value) throw new DrainPlanError(`the binding names no ${what}`);
  if (!TOKEN.test(value)) throw new DrainPlanError(`${what} "${value}" is not a Junos identifier`);
  return value;
}

/** The drain's group name for a maintenance: stable, so a retried drain finds its own group. */
export function drainGroup(providerType: string, maintenanceId: string, circuitId: string): string {
  const fold = (s: string) => s.replace(/[^A-Za-z0-9-]+/g, '_');
  return `MAINT-${fold(providerType)}-${fold(maintenanceId)}-${fold(circuitId)}`.slice(0, 200);
}

/**
 * The drain and undo lines for a binding. The statements live in their own configuration group,
 * applied with `apply-groups`, so restore is "delete both" and never touches what the operator
 * configured by hand (spec §5.3); `deactivate` cannot live in a group, so that method toggles the
 * neighbor itself.
 */
export function drainPlan(binding: DeviceBinding & { drain: DrainPolicy }, m: { providerType: string; maintenanceId: string; circuitId: string }): DrainPlan {
  const group = drainGroup(m.providerType, m.maintenanceId, m.circuitId);
  const log = `MAINT ${m.providerType} ${m.maintenanceId} drain ${m.circuitId}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 250);
  const inGroup = (stmt: string): DrainPlan => ({
    group,
    apply: [`set groups ${group} ${stmt}`, `set apply-groups ${group}`],
    undo: [`delete apply-groups ${group}`, `delete groups ${group}`],
    log,
  });
  switch (binding.drain.method) {
    case 'graceful-shutdown':
      // RFC 8326 GRACEFUL_SHUTDOWN on the routes sent to the peer, LOCAL_PREF 0 on those received.
      return inGroup(`protocols bgp group ${token('BGP group', binding.bgpGroup)} neighbor ${token('BGP neighbor', binding.bgpNeighbor)} graceful-shutdown sender`);
    case 'disable-interface':
      return inGroup(`interfaces ${token('interface', binding.interface)} disable`);
    case 'deactivate-neighbor': {
      const path = `protocols bgp group ${token('BGP group', binding.bgpGroup)} neighbor ${token('BGP neighbor', binding.bgpNeighbor)}`;
      return { group, apply: [`deactivate ${path}`], undo: [`activate ${path}`], log };
    }
  }
}
