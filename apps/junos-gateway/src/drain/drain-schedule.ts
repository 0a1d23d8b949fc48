import type { CircuitSnapshot, DeviceBinding, DrainPolicy, LifecycleEvent } from '@maintwatch/contracts';
import type { DrainJobInput } from '@maintwatch/persistence';
import { drainGroup } from './drain-plan';

/** What one lifecycle event asks of the drain jobs of its maintenance. */
export interface DrainDecision {
  /** Jobs to create or move (circuits with a drain policy). */
  readonly upserts: DrainJobInput[];
  /**
   * cancel: the maintenance is cancelled (a scheduled job is dropped, a drained one restored now);
   * ended: the window is over (a drained job is restored after its grace); none otherwise.
   */
  readonly close: 'cancel' | 'ended' | 'none';
}

type DrainableCircuit = CircuitSnapshot & { deviceBinding: DeviceBinding & { drain: DrainPolicy } };

const drainable = (c: CircuitSnapshot): c is DrainableCircuit => c.deviceBinding?.drain !== undefined && c.impact !== 'NO-IMPACT';

/**
 * The drain jobs a lifecycle event implies. Scheduling lives in the gateway (spec §5.3: never
 * Junos `commit at`): every event carries the whole maintenance, so the latest one sets each
 * circuit's drain time (start - lead) and restore time (end + grace); the store ignores events
 * of an older maintenance version.
 */
export function decide(event: LifecycleEvent): DrainDecision {
  const m = event.maintenance;
  const cancelled = m.status === 'CANCELLED' || event.type === 'cancelled';
  const ended = m.status === 'COMPLETED' || event.type === 'ended';
  const lastPathGroups = new Set(m.redundancyGroups.filter((g) => g.allCircuitsAffected).map((g) => g.name));
  const upserts = m.circuits.filter(drainable).map((c): DrainJobInput => {
    const policy = c.deviceBinding.drain;
    return {
      providerType: m.providerType,
      maintenanceId: m.maintenanceId,
      circuitId: c.providerCircuitId,
      device: c.deviceBinding.device,
      binding: c.deviceBinding,
      windowStart: m.start,
      windowEnd: m.end,
      drainAt: m.start - policy.leadMinutes * 60,
      // Completed early: restore after the grace from the report, not from the announced end.
      restoreAt: (ended && event.type === 'ended' ? Math.min(m.end, event.occurredAt) : m.end) + policy.graceMinutes * 60,
      maintenanceVersion: m.version,
      // Every circuit of its redundancy group is in this maintenance: draining it leaves no path.
      lastPath: c.redundancyGroup !== undefined && lastPathGroups.has(c.redundancyGroup),
      authenticated: m.authentication?.actionable === true,
      groupName: drainGroup(m.providerType, m.maintenanceId, c.providerCircuitId),
    };
  });
  return { upserts, close: cancelled ? 'cancel' : ended ? 'ended' : 'none' };
}
