import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Impact, MaintenanceStatus } from './maintenance';
import { LIFECYCLE_TYPES } from './names';

const epochSeconds = z.number().int().nonnegative();

/** How the junos-gateway drains a circuit before its maintenance (least to most disruptive). */
export const DRAIN_METHODS = ['graceful-shutdown', 'deactivate-neighbor', 'disable-interface'] as const;

/**
 * The drain policy of a circuit's binding. Dry-run (commit check only, nothing committed) is
 * the default: an operator turns it off per circuit once the announced diffs look right.
 */
export const DrainPolicy = z.strictObject({
  method: z.enum(DRAIN_METHODS),
  /** Minutes before the window's start at which the drain runs. */
  leadMinutes: z.number().int().min(0).max(1440).default(15),
  /** Minutes after the window's end before the restore runs. */
  graceMinutes: z.number().int().min(0).max(1440).default(10),
  /** commit confirmed timeout: the device rolls back by itself unless the gateway confirms in time. */
  confirmMinutes: z.number().int().min(1).max(60).default(5),
  dryRun: z.boolean().default(true),
});
/** A drain policy. */
export type DrainPolicy = z.output<typeof DrainPolicy>;

/** Where the junos-gateway acts for a circuit: device, interface, BGP group and neighbor, drain policy. */
export const DeviceBinding = z.strictObject({
  device: z.string().min(1),
  interface: z.string().min(1).optional(),
  bgpGroup: z.string().min(1).optional(),
  bgpNeighbor: z.string().min(1).optional(),
  drain: DrainPolicy.optional(),
});
/** A circuit's device binding. */
export type DeviceBinding = z.infer<typeof DeviceBinding>;

/** A circuit as maintenance-api knows it, with the impact of this maintenance on it. */
export const CircuitSnapshot = z.strictObject({
  providerCircuitId: z.string().min(1),
  impact: Impact,
  type: z.enum(['transit', 'backbone', 'transport', 'peering', 'facility']).optional(),
  aSide: z.string().optional(),
  zSide: z.string().optional(),
  description: z.string().optional(),
  redundancyGroup: z.string().optional(),
  verified: z.boolean(),
  deviceBinding: DeviceBinding.optional(),
});
/** A circuit in a maintenance snapshot. */
export type CircuitSnapshot = z.infer<typeof CircuitSnapshot>;

/** A maintenance window. */
export const Window = z.strictObject({ start: epochSeconds, end: epochSeconds });
/** A maintenance window. */
export type Window = z.infer<typeof Window>;

/** The maintenance as it stands after the change that caused the event. */
export const MaintenanceSnapshot = z.strictObject({
  providerType: z.string().min(1),
  providerName: z.string().min(1),
  maintenanceId: z.string().min(1),
  account: z.string(),
  status: MaintenanceStatus,
  start: epochSeconds,
  end: epochSeconds,
  summary: z.string(),
  sequence: z.number().int(),
  stamp: epochSeconds,
  /** Monotonic version of the maintenance in maintenance-api (bumps on every applied change). */
  version: z.number().int().min(1),
  circuits: z.array(CircuitSnapshot),
  /** Redundancy groups touched, each with whether every circuit of the group is affected. */
  redundancyGroups: z.array(z.strictObject({ name: z.string().min(1), allCircuitsAffected: z.boolean() })),
  replaces: z.string().optional(),
  replacedBy: z.string().optional(),
  acknowledged: z.strictObject({ by: z.string(), at: epochSeconds }).optional(),
  /**
   * Whether the maintenance's notices are authenticated for the provider's domain (DKIM or a
   * trusted Authentication-Results), and so whether devices may be acted on for it. Absent:
   * not known to be authenticated, so not actionable.
   */
  authentication: z.strictObject({ authenticated: z.boolean(), actionable: z.boolean(), reason: z.string() }).optional(),
});
/** A maintenance snapshot. */
export type MaintenanceSnapshot = z.infer<typeof MaintenanceSnapshot>;

/** What changed, field by field (old -> new). */
export const Change = z.strictObject({
  field: z.string().min(1),
  old: z.unknown().optional(),
  new: z.unknown().optional(),
});
/** One changed field. */
export type Change = z.infer<typeof Change>;

/** maintenance.event.v1.<type>: a lifecycle event. */
export const LifecycleEvent = z.strictObject({
  /** Deterministic: the same transition of the same maintenance version always has the same id. */
  eventId: z.string().regex(/^evt-[0-9a-f]{32}$/),
  type: z.enum(LIFECYCLE_TYPES),
  occurredAt: epochSeconds,
  maintenance: MaintenanceSnapshot,
  changes: z.array(Change),
  /** rescheduled: the previous window. */
  previousWindow: Window.optional(),
  /** overlap: the other maintenances overlapping this one on shared circuits or redundancy groups. */
  overlaps: z
    .array(
      z.strictObject({
        providerType: z.string(),
        maintenanceId: z.string(),
        window: Window,
        sharedCircuits: z.array(z.string()),
        redundancyGroups: z.array(z.string()),
      }),
    )
    .optional(),
  /** The raw notice that caused the change, when one did (clock events have none). */
  noticeId: z.string().optional(),
});
/** A lifecycle event. */
export type LifecycleEvent = z.infer<typeof LifecycleEvent>;

/** Deterministic event id from (maintenance key, transition, version): used as Nats-Msg-Id. */
export function lifecycleEventId(providerType: string, maintenanceId: string, type: string, version: number | string): string {
  const h = createHash('sha256').update(`${providerType}\u0000${maintenanceId}\u0000${type}\u0000${version}`).digest('hex');
  return `evt-${h.slice(0, 32)}`;
}
