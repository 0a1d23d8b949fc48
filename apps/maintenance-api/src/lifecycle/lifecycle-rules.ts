import {
  lifecycleEventId,
  type Change,
  type CircuitSnapshot,
  type Impact,
  type LifecycleEvent,
  type LifecycleType,
  type MaintenanceSnapshot,
  type MaintenanceStatus,
  type Window,
} from '@maintwatch/contracts';
import type { ClockPhase, ImpactRecord, MaintenanceRecord } from '@maintwatch/persistence';

// The lifecycle of a maintenance as pure functions of its state and the time, so that the
// intake, the clock and their tests agree on one set of rules.

const IMPACT_RANK: Record<Impact, number> = { 'NO-IMPACT': 0, 'REDUCED-REDUNDANCY': 1, DEGRADED: 2, OUTAGE: 3 };
const PHASE_RANK: Record<ClockPhase, number> = { scheduled: 0, 'starting-soon': 1, started: 2, ended: 3 };

/** The worse of two impacts (a circuit named twice keeps the worst). */
export function worseImpact(a: Impact, b: Impact): Impact {
  return IMPACT_RANK[a] >= IMPACT_RANK[b] ? a : b;
}

/** How a notice's version compares with the stored one: sequence first, then stamp (BCOP: only newer applies). */
export function compareVersion(incoming: { sequence: number; stamp: number }, stored: { sequence: number; stamp: number }): 'newer' | 'same' | 'older' {
  if (incoming.sequence !== stored.sequence) return incoming.sequence > stored.sequence ? 'newer' : 'older';
  if (incoming.stamp !== stored.stamp) return incoming.stamp > stored.stamp ? 'newer' : 'older';
  return 'same';
}

/**
 * The status to store. NO-CHANGE (a notice without a status) keeps the stored one; a
 * maintenance first seen through a NO-CHANGE notice is taken as confirmed.
 */
export function effectiveStatus(incoming: MaintenanceStatus, stored: MaintenanceStatus | undefined): MaintenanceStatus {
  if (incoming !== 'NO-CHANGE') return incoming;
  return stored ?? 'CONFIRMED';
}

/**
 * The clock phase of a maintenance first seen now. A window already over (mail imported
 * from the past) is 'ended' at once: the clock must not start and end old maintenances.
 */
export function initialPhase(window: Window, now: number): ClockPhase {
  return window.end <= now ? 'ended' : 'scheduled';
}

/** The clock phase after the window moved: transitions of the new window fire again (under the new version). */
export function phaseAfterReschedule(current: ClockPhase, window: Window, now: number, leadSeconds: number): ClockPhase {
  // Over already: a started maintenance still gets its 'ended' from the clock; others stay quiet.
  if (window.end <= now) return current === 'started' ? 'started' : 'ended';
  if (window.start > now) return current === 'starting-soon' && window.start - leadSeconds <= now ? 'starting-soon' : 'scheduled';
  // Open now: under way stays under way; otherwise the clock starts it.
  return current === 'started' ? 'started' : 'scheduled';
}

/** Transitions a notice's status causes: IN-PROCESS starts the maintenance, COMPLETED ends it. */
export function statusTransitions(status: MaintenanceStatus, phase: ClockPhase): { events: LifecycleType[]; phase: ClockPhase } {
  if (status === 'IN-PROCESS' && PHASE_RANK[phase] < PHASE_RANK.started) return { events: ['started'], phase: 'started' };
  if (status === 'COMPLETED' && phase !== 'ended') return { events: ['ended'], phase: 'ended' };
  return { events: [], phase };
}

/**
 * Transitions the clock owes a maintenance at `now`, in order. Missed ones are caught up
 * (a restart after the start still emits 'started', after the end 'started' then 'ended'),
 * except 'starting-soon' once the maintenance has started: it would no longer be true.
 */
export function clockTransitions(
  m: Pick<MaintenanceRecord, 'status' | 'start' | 'end' | 'phase' | 'replacedById'>,
  now: number,
  leadSeconds: number,
): { events: LifecycleType[]; phase: ClockPhase } {
  if (m.status === 'CANCELLED' || m.status === 'COMPLETED' || m.replacedById) return { events: [], phase: m.phase };
  const events: LifecycleType[] = [];
  let phase = m.phase;
  if (phase === 'scheduled' && now < m.start && now >= m.start - leadSeconds) {
    events.push('starting-soon');
    phase = 'starting-soon';
  }
  if ((phase === 'scheduled' || phase === 'starting-soon') && now >= m.start) {
    events.push('started');
    phase = 'started';
  }
  if (phase === 'started' && now >= m.end) {
    events.push('ended');
    phase = 'ended';
  }
  return { events, phase };
}

/** What a snapshot needs besides the maintenance row. */
export interface SnapshotContext {
  providerName: string;
  impacts: readonly ImpactRecord[];
  /** Circuits per redundancy group in the inventory. */
  groupSizes: ReadonlyMap<string, number>;
  /** The provider's maintenance ids of the linked maintenances. */
  replaces?: string;
  replacedBy?: string;
  /** Whether devices may be acted on for it (AuthenticationPolicy). */
  authentication?: MaintenanceSnapshot['authentication'];
}

/** The redundancy groups the impacts touch (for groupSizes). */
export function groupsOf(impacts: readonly ImpactRecord[]): string[] {
  return [...new Set(impacts.flatMap((i) => (i.circuit?.redundancyGroup ? [i.circuit.redundancyGroup] : [])))];
}

/** The maintenance as events carry it. */
export function snapshotOf(m: MaintenanceRecord, ctx: SnapshotContext): MaintenanceSnapshot {
  const circuits: CircuitSnapshot[] = ctx.impacts.map((i) => {
    const c = i.circuit;
    const s: CircuitSnapshot = { providerCircuitId: c?.providerCircuitId ?? i.circuitRef, impact: i.impact, verified: c?.verified ?? false };
    if (c?.type) s.type = c.type;
    if (c?.aSide) s.aSide = c.aSide;
    if (c?.zSide) s.zSide = c.zSide;
    if (c?.description) s.description = c.description;
    if (c?.redundancyGroup) s.redundancyGroup = c.redundancyGroup;
    if (c?.deviceBinding) s.deviceBinding = c.deviceBinding;
    return s;
  });
  const redundancyGroups = groupsOf(ctx.impacts).map((name) => {
    const affected = new Set(ctx.impacts.flatMap((i) => (i.circuit?.redundancyGroup === name && i.impact !== 'NO-IMPACT' ? [i.circuit.id] : []))).size;
    const size = ctx.groupSizes.get(name) ?? affected;
    return { name, allCircuitsAffected: affected > 0 && affected >= size };
  });
  const snapshot: MaintenanceSnapshot = {
    providerType: m.providerType,
    providerName: ctx.providerName,
    maintenanceId: m.maintenanceId,
    account: m.account,
    status: m.status,
    start: m.start,
    end: m.end,
    summary: m.summary,
    sequence: m.sequence,
    stamp: m.stamp,
    version: m.version,
    circuits,
    redundancyGroups,
  };
  if (ctx.replaces) snapshot.replaces = ctx.replaces;
  if (ctx.replacedBy) snapshot.replacedBy = ctx.replacedBy;
  if (m.acknowledged) snapshot.acknowledged = m.acknowledged;
  if (ctx.authentication) snapshot.authentication = ctx.authentication;
  return snapshot;
}

/** A lifecycle event with its deterministic id (the relay validates it against the contract before publishing). */
export function lifecycleEvent(
  type: LifecycleType,
  snapshot: MaintenanceSnapshot,
  occurredAt: number,
  extra: { changes?: Change[]; previousWindow?: Window; noticeId?: string } = {},
): LifecycleEvent {
  const event: LifecycleEvent = {
    eventId: lifecycleEventId(snapshot.providerType, snapshot.maintenanceId, type, snapshot.version),
    type,
    occurredAt,
    maintenance: snapshot,
    changes: extra.changes ?? [],
  };
  if (extra.previousWindow) event.previousWindow = extra.previousWindow;
  if (extra.noticeId) event.noticeId = extra.noticeId;
  return event;
}

/** The fields compared for "what changed" (sequence and stamp always move; they are not a change). */
export interface Comparable {
  status: MaintenanceStatus;
  start: number;
  end: number;
  summary: string;
  account: string;
  organizer: string;
  circuits: { circuit: string; impact: Impact }[];
}

/** Field-by-field changes, old -> new. */
export function changesBetween(old: Comparable, next: Comparable): Change[] {
  const changes: Change[] = [];
  for (const field of ['status', 'start', 'end', 'summary', 'account', 'organizer'] as const) {
    if (old[field] !== next[field]) changes.push({ field, old: old[field], new: next[field] });
  }
  const key = (cs: Comparable['circuits']) => cs.map((c) => `${c.circuit.toLowerCase()}\u0000${c.impact}`).sort().join('\u0001');
  if (key(old.circuits) !== key(next.circuits)) changes.push({ field: 'circuits', old: old.circuits, new: next.circuits });
  return changes;
}

/** Circuits of impacts in the shape changes carry. */
export function circuitsOf(impacts: readonly ImpactRecord[]): Comparable['circuits'] {
  return impacts.map((i) => ({ circuit: i.circuit?.providerCircuitId ?? i.circuitRef, impact: i.impact }));
}

/**
 * The event a notice's change causes (besides started/ended from its status): cancelled when
 * it cancels, rescheduled when the window moved, updated for anything else.
 */
export function changeEventType(changes: readonly Change[], statusEvents: readonly LifecycleType[]): LifecycleType | undefined {
  const status = changes.find((c) => c.field === 'status');
  if (status?.new === 'CANCELLED') return 'cancelled';
  if (changes.some((c) => c.field === 'start' || c.field === 'end')) return 'rescheduled';
  // A status change that is itself a transition (IN-PROCESS -> started) needs no 'updated' besides.
  const rest = statusEvents.length > 0 ? changes.filter((c) => c.field !== 'status') : changes;
  return rest.length > 0 ? 'updated' : undefined;
}
