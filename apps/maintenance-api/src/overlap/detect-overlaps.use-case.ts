import { Inject, Injectable } from '@nestjs/common';
import { LifecycleEvent, lifecycleEventId } from '@maintwatch/contracts';
import { LOCKS, Store, type MaintenanceRecord, type OutboxInput, type OverlapRecord, type OverlapUpsert, type Repositories } from '@maintwatch/persistence';
import { OutboxSignal } from '../lifecycle/outbox-signal';
import { SnapshotLoader } from '../lifecycle/snapshot-loader';
import { OVERLAP_OPTIONS, type OverlapOptions } from './overlap.options';

interface Pair {
  a: string;
  b: string;
  circuits: Set<string>;
  groups: Set<string>;
}

const pairKey = (a: string, b: string) => `${a} ${b}`;
const sorted = (s: Iterable<string>) => [...s].sort();
const sameList = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((v, i) => v === y[i]);

/**
 * Finds maintenances whose windows overlap on circuits of one redundancy group (or, for
 * circuits without a group, circuits sharing an a-side or z-side), after maintenances changed.
 * A new overlap, or one whose windows moved, is stored active and announced by one `overlap`
 * event per pair and windows (written to the outbox in the caller's transaction); an overlap
 * that no longer holds is cleared. NO-IMPACT circuits do not count unless configured.
 */
@Injectable()
export class DetectOverlapsUseCase {
  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(SnapshotLoader) private readonly snapshots: SnapshotLoader,
    @Inject(OutboxSignal) private readonly signal: OutboxSignal,
    @Inject(OVERLAP_OPTIONS) private readonly options: OverlapOptions,
  ) {}

  /** Inside the transaction that changed these maintenances: raises and clears their overlaps; returns the events written. */
  async afterApplied(r: Repositories, maintenanceIds: readonly string[], now: number = this.options.now()): Promise<number> {
    const ids = [...new Set(maintenanceIds)];
    if (ids.length === 0) return 0;
    // One transaction at a time from here to its commit: two batches whose maintenances overlap
    // each other would otherwise lock and insert the same overlap rows in opposite orders
    // (deadlocks measured with two intake lanes). The step is the last of a batch, so the
    // lanes still overlap for the rest of their work.
    await r.clock.transactionLock(LOCKS.overlaps);
    const [matches, stored] = [await r.api.overlaps.matches(ids, now, this.options.includeNoImpact), await r.api.overlaps.lockFor(ids)];
    if (matches.length === 0 && !stored.some((o) => o.active)) return 0;
    const pairs = new Map<string, Pair>();
    for (const m of matches) {
      const [a, b] = m.a < m.b ? [m.a, m.b] : [m.b, m.a];
      const key = pairKey(a, b);
      const pair = pairs.get(key) ?? { a, b, circuits: new Set<string>(), groups: new Set<string>() };
      pair.circuits.add(m.aCircuit).add(m.bCircuit);
      if (m.group) pair.groups.add(m.group);
      pairs.set(key, pair);
    }
    const byKey = new Map(stored.map((o) => [pairKey(o.maintenanceA, o.maintenanceB), o]));
    const rows = await r.api.maintenances.byIds([...new Set([...pairs.values()].flatMap((p) => [p.a, p.b]))]);
    const raise: OverlapUpsert[] = [];
    const refresh: { maintenanceA: string; maintenanceB: string; sharedCircuits: string[]; redundancyGroups: string[] }[] = [];
    const events: OutboxInput[] = [];
    for (const [key, pair] of pairs) {
      const a = rows.get(pair.a);
      const b = rows.get(pair.b);
      if (!a || !b) continue;
      const circuits = sorted(pair.circuits);
      const groups = sorted(pair.groups);
      const prev = byKey.get(key);
      if (prev?.active && sameWindows(prev, a, b)) {
        if (!sameList(prev.sharedCircuits, circuits) || !sameList(prev.redundancyGroups, groups)) refresh.push({ maintenanceA: a.id, maintenanceB: b.id, sharedCircuits: circuits, redundancyGroups: groups });
        continue;
      }
      const generation = (prev?.generation ?? 0) + 1;
      const eventId = lifecycleEventId(a.providerType, a.maintenanceId, 'overlap', `${b.providerType}\u0000${b.maintenanceId}\u0000${generation}\u0000${a.start}-${a.end}\u0000${b.start}-${b.end}`);
      raise.push({ maintenanceA: a.id, maintenanceB: b.id, aWindow: { start: a.start, end: a.end }, bWindow: { start: b.start, end: b.end }, sharedCircuits: circuits, redundancyGroups: groups, generation, eventId, at: now });
      events.push({ event: await this.event(r, eventId, a, b, circuits, groups, now), maintenanceId: a.id });
    }
    const cleared = stored.filter((o) => o.active && !pairs.has(pairKey(o.maintenanceA, o.maintenanceB)));
    await r.api.overlaps.upsert(raise);
    await r.api.overlaps.refreshCircuits(refresh);
    await r.api.overlaps.clear(cleared, now);
    await r.outbox.enqueue(events);
    return events.length;
  }

  /** In its own transaction (after an inventory change): raises and clears the overlaps of these maintenances. */
  async recheck(maintenanceIds: readonly string[]): Promise<number> {
    if (maintenanceIds.length === 0) return 0;
    const n = await this.store.transaction((r) => this.afterApplied(r, maintenanceIds), { retryOnUniqueViolation: true });
    if (n > 0) this.signal.notify();
    return n;
  }

  private async event(r: Repositories, eventId: string, a: MaintenanceRecord, b: MaintenanceRecord, circuits: string[], groups: string[], now: number): Promise<LifecycleEvent> {
    return LifecycleEvent.parse({
      eventId,
      type: 'overlap',
      occurredAt: now,
      maintenance: await this.snapshots.snapshot(r, a),
      changes: [],
      overlaps: [{ providerType: b.providerType, maintenanceId: b.maintenanceId, window: { start: b.start, end: b.end }, sharedCircuits: circuits, redundancyGroups: groups }],
    });
  }
}

function sameWindows(o: OverlapRecord, a: MaintenanceRecord, b: MaintenanceRecord): boolean {
  return o.aWindow.start === a.start && o.aWindow.end === a.end && o.bWindow.start === b.start && o.bWindow.end === b.end;
}
