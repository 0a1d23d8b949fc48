import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Change, Impact, LifecycleEvent, LifecycleType, MaintenanceParsed } from '@maintwatch/contracts';
import { MetricsService } from '@maintwatch/observability';
import {
  Store,
  circuitKey,
  isTransientStoreError,
  pgText,
  type CircuitRecord,
  type ImpactRecord,
  type MaintenanceRecord,
  type MaintenanceWithCircuits,
  type NoteInput,
  type ParsedOutcome,
  type ParsedRecordInput,
  type Repositories,
} from '@maintwatch/persistence';
import type { Counter, Histogram } from 'prom-client';
import { Failpoints } from '../faults/failpoints';
import {
  changeEventType,
  changesBetween,
  circuitsOf,
  compareVersion,
  effectiveStatus,
  groupsOf,
  initialPhase,
  lifecycleEvent,
  phaseAfterReschedule,
  snapshotOf,
  statusTransitions,
  worseImpact,
  type Comparable,
} from '../lifecycle/lifecycle-rules';
import { OutboxSignal } from '../lifecycle/outbox-signal';
import { DetectOverlapsUseCase } from '../overlap/detect-overlaps.use-case';
import { AuthenticationPolicy } from '../authentication/authentication-policy';
import { ProviderDirectory } from '../providers/provider-directory';
import { INTAKE_OPTIONS, type IntakeOptions } from './intake.options';
import { MicroBatcher } from './micro-batcher';

/** What became of one parsed maintenance. */
export interface ApplyResult {
  /** applied; no-change (newer but nothing changed, or the same version again); stale (older); duplicate (this message was recorded before). */
  outcome: ParsedOutcome | 'duplicate';
  maintenanceId?: string;
  /** The lifecycle events written to the outbox, in order. */
  events: LifecycleType[];
}

interface Item {
  parsed: MaintenanceParsed;
  correlationId?: string;
}

/** A maintenance as the batch holds it: loaded (and locked) or created in this batch. */
interface MState {
  row: MaintenanceRecord;
  isNew: boolean;
  dirty: boolean;
  impacts: ImpactRecord[];
  impactsChanged: boolean;
}

/** Everything one batch reads before it decides, and what it will write. */
interface Batch {
  r: Repositories;
  now: number;
  states: Map<string, MState>;
  found: Map<string, CircuitRecord>;
  /** Unknown circuits this batch creates, by "<provider> <key>". */
  created: Map<string, CircuitRecord>;
  groupSizes: Map<string, number>;
  /** RE-SCHEDULED maintenances awaiting a replacement, per provider (loaded only when a new maintenance may replace one). */
  rescheduled: Map<string, MaintenanceWithCircuits[]>;
  providerNames: Map<string, string>;
  /** Provider maintenance ids by row id, for the replaces / replacedBy of snapshots. */
  names: Map<string, string>;
  windows: { maintenanceId: string; start: number; end: number; sequence: number; stamp: number; noticeId?: string; label?: 'primary' | 'backup' }[];
  notes: NoteInput[];
  events: { event: LifecycleEvent; maintenanceId: string; correlationId?: string }[];
  records: ParsedRecordInput[];
}

/** A concurrent writer got in between (a key or a message recorded meanwhile): the batch runs again. */
class ConcurrentWriteError extends Error {
  override name = 'ConcurrentWriteError';
}

const AUTHOR = 'maintenance-api';
const TERMINAL = ['CANCELLED', 'COMPLETED', 'RE-SCHEDULED'];
// The id as PostgreSQL keeps it (NUL characters dropped, pgText): a parsed id with NULs is the
// stored maintenance without them, not a new one that can never be inserted (a fuzzed notice in
// the chaos run was retried as 'created meanwhile' until it was dead-lettered).
const mkey = (providerType: string, maintenanceId: string) => `${providerType}\u0000${pgText(maintenanceId)}`;
const ckey = (providerType: string, key: string) => `${providerType} ${key}`;
const messageKey = (p: { noticeId: string; attempt: number; index: number }) => `${p.noticeId}#${p.attempt}/${p.index}`;

/**
 * Applies maintenance.parsed.v1. Messages handed over together share one transaction (a
 * batch: read, decide in memory, write set-wise), so that a round trip to PostgreSQL serves
 * many. Per message: the maintenance is upserted by (provider type, maintenance id) with its
 * impacts and window history, the parsed record and notes are kept, and the lifecycle events
 * go to the outbox in the same transaction. Only a newer notice (sequence, then stamp)
 * changes anything; a message recorded before changes nothing.
 */
@Injectable()
export class ApplyParsedUseCase {
  private readonly outcomes: Counter<'outcome'>;
  private readonly batchSizes: Histogram;
  private readonly batcher: MicroBatcher<Item, ApplyResult>;

  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(INTAKE_OPTIONS) private readonly options: IntakeOptions,
    @Inject(ProviderDirectory) private readonly providers: ProviderDirectory,
    @Inject(OutboxSignal) private readonly signal: OutboxSignal,
    @Inject(Failpoints) private readonly failpoints: Failpoints,
    @Inject(MetricsService) metrics: MetricsService,
    @Optional() @Inject(DetectOverlapsUseCase) private readonly overlaps?: DetectOverlapsUseCase,
    // Absent (unit tests): nothing is allowed unauthenticated.
    @Optional() @Inject(AuthenticationPolicy) private readonly authentication: AuthenticationPolicy = new AuthenticationPolicy(),
  ) {
    this.outcomes = metrics.counter({
      name: 'maintwatch_api_parsed_total',
      help: 'Parsed maintenances by outcome (applied, no-change, stale, duplicate)',
      labelNames: ['outcome'],
    });
    this.batchSizes = metrics.histogram({
      name: 'maintwatch_api_parsed_batch_size',
      help: 'Parsed maintenances applied per transaction',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    });
    this.batcher = new MicroBatcher((items) => this.runBatch(items), options.batchSize, options.batchesInFlight, (i) =>
      mkey(i.parsed.providerType, i.parsed.maintenance.maintenance_id),
    );
  }

  /** Applies one parsed maintenance (in a batch with those arriving meanwhile). */
  execute(parsed: MaintenanceParsed, correlationId?: string): Promise<ApplyResult> {
    return this.batcher.submit({ parsed, correlationId });
  }

  private async runBatch(items: Item[]): Promise<PromiseSettledResult<ApplyResult>[]> {
    let newProviders: string[] = [];
    try {
      const results = await this.store.transaction(
        async (r) => {
          newProviders = [];
          for (const type of new Set(items.map((i) => i.parsed.providerType))) if (await this.providers.ensure(r, type)) newProviders.push(type);
          return this.applyBatch(r, items);
        },
        // Two batches creating the same maintenance or unknown circuit at once: the loser runs again and finds it.
        { retryOnUniqueViolation: true, retryIf: (err) => err instanceof ConcurrentWriteError, attempts: 8, keyLookups: true },
      );
      this.providers.remember(newProviders);
      if (results.some((res) => res.events.length > 0)) this.signal.notify();
      this.batchSizes.observe(items.length);
      for (const res of results) this.outcomes.inc({ outcome: res.outcome });
      return results.map((value) => ({ status: 'fulfilled', value }));
    } catch (err) {
      if (items.length === 1 || isTransientStoreError(err)) return items.map(() => ({ status: 'rejected', reason: err }));
      // One message the store refuses must not take the others with it: apply them one by one.
      const settled: PromiseSettledResult<ApplyResult>[] = [];
      for (const item of items) settled.push(...(await this.runBatch([item])));
      return settled;
    }
  }

  private async applyBatch(r: Repositories, items: Item[]): Promise<ApplyResult[]> {
    const now = this.options.now();
    const results: ApplyResult[] = new Array<ApplyResult>(items.length);
    const recorded = await r.notices.recordedParsed(items.map((i) => i.parsed));
    const live: { index: number; item: Item; parsed: MaintenanceParsed }[] = [];
    for (const [index, item] of items.entries()) {
      const k = messageKey(item.parsed);
      if (recorded.has(k)) results[index] = { outcome: 'duplicate', events: [] };
      else {
        recorded.add(k);
        live.push({ index, item, parsed: item.parsed });
      }
    }
    if (live.length === 0) return results;

    // The list entries are refreshed once at the end rather than after each statement.
    await r.maintenances.deferSummaries();
    // Read: the maintenances (locked, in key order), their impacts, the circuits named.
    const keys = [...new Map(live.map(({ parsed }) => [mkey(parsed.providerType, parsed.maintenance.maintenance_id), parsed])).values()];
    const existing = await r.maintenances.lockByKeys(keys.map((p) => ({ providerType: p.providerType, maintenanceId: p.maintenance.maintenance_id })));
    const impacts = await r.maintenances.impactsOf(existing.map((m) => m.id));
    const states = new Map<string, MState>();
    for (const m of existing) states.set(mkey(m.providerType, m.maintenanceId), { row: m, isNew: false, dirty: false, impacts: impacts.get(m.id) ?? [], impactsChanged: false });
    const pairs = new Map<string, { providerType: string; key: string }>();
    for (const { parsed } of live) {
      for (const c of parsed.maintenance.circuits) {
        const key = circuitKey(c.circuit_id);
        if (key) pairs.set(ckey(parsed.providerType, key), { providerType: parsed.providerType, key });
      }
    }
    const found = await r.circuits.findByProviderKeys([...pairs.values()]);
    const groups = new Set([...found.values()].flatMap((c) => (c.redundancyGroup ? [c.redundancyGroup] : [])));
    for (const s of states.values()) for (const g of groupsOf(s.impacts)) groups.add(g);
    const groupSizes = groups.size > 0 ? await r.circuits.groupSizes([...groups]) : new Map<string, number>();
    const mayReplace = new Set(
      live
        .filter(({ parsed }) => !states.has(mkey(parsed.providerType, parsed.maintenance.maintenance_id)) && !TERMINAL.includes(parsed.maintenance.status))
        .map(({ parsed }) => parsed.providerType),
    );
    const rescheduled = new Map<string, MaintenanceWithCircuits[]>();
    for (const c of await r.maintenances.rescheduledUnreplacedOf([...mayReplace])) {
      rescheduled.set(c.maintenance.providerType, [...(rescheduled.get(c.maintenance.providerType) ?? []), c]);
    }
    const providerNames = new Map<string, string>();
    for (const type of new Set(live.map(({ parsed }) => parsed.providerType))) providerNames.set(type, await this.providers.name(r, type));

    // Decide, message by message, in memory.
    const names = new Map(existing.map((m) => [m.id, m.maintenanceId]));
    const linked = existing.flatMap((m) => [m.replacesId, m.replacedById]).filter((id): id is string => !!id && !names.has(id));
    for (const [id, name] of await r.maintenances.maintenanceIdsOf(linked)) names.set(id, name);
    const batch: Batch = { r, now, states, found, created: new Map(), groupSizes, rescheduled, providerNames, names, windows: [], notes: [], events: [], records: [] };
    for (const { index, item } of live) results[index] = await this.applyOne(batch, item);

    // Write, set-wise. Circuits before the impacts naming them, maintenances before what refers to them.
    await r.circuits.insertUnverified([...batch.created.values()].map((c) => ({ id: c.id, providerType: c.providerType, name: c.providerCircuitId })));
    const fresh = [...states.values()].filter((s) => s.isNew);
    const inserted = await r.maintenances.insertMany(fresh.map((s) => ({ ...s.row, lastNoticeId: s.row.lastNoticeId })));
    if (inserted.size !== fresh.length) throw new ConcurrentWriteError('a maintenance of this batch was created meanwhile');
    await r.maintenances.updateMany([...states.values()].filter((s) => !s.isNew && s.dirty).map((s) => s.row));
    await r.maintenances.replaceImpactsMany(
      new Map(
        [...states.values()]
          .filter((s) => s.impactsChanged)
          .map((s) => [
            s.row.id,
            { isNew: s.isNew, impacts: s.impacts.map((im) => ({ circuitKey: im.circuitKey, circuitRef: im.circuitRef, impact: im.impact, ...(im.circuit ? { circuitId: im.circuit.id } : {}) })) },
          ]),
      ),
    );
    await r.maintenances.addWindows(batch.windows);
    await r.maintenances.addNotes(batch.notes);
    await r.outbox.enqueue(batch.events);
    if ((await r.notices.recordParsedMany(batch.records)) !== batch.records.length) throw new ConcurrentWriteError('a message of this batch was recorded meanwhile');
    // Overlap alerts for what this batch changed, in its transaction (issue 7).
    const changed = [...states.values()].filter((s) => s.dirty || s.impactsChanged).map((s) => s.row.id);
    await this.overlaps?.afterApplied(r, changed, now);
    // The list entries of what changed, once, after the batch's last write to its maintenances.
    await r.maintenances.refreshSummaries(changed);
    this.failpoints.hit('apply-before-commit');
    return results;
  }

  private async applyOne(b: Batch, item: Item): Promise<ApplyResult> {
    const p = item.parsed;
    const m = p.maintenance;
    const incoming = dedupeCircuits(m.circuits);
    let st = b.states.get(mkey(p.providerType, m.maintenance_id));
    let outcome: ParsedOutcome;
    const before = b.events.length;
    if (!st) {
      st = await this.create(b, p, incoming, item.correlationId);
      outcome = 'applied';
    } else {
      outcome = await this.update(b, st, p, incoming, item.correlationId);
    }
    b.records.push({
      noticeId: p.noticeId,
      attempt: p.attempt,
      index: p.index,
      count: p.count,
      providerType: p.providerType,
      maintenanceId: st.row.id,
      outcome,
      parsers: p.parsers,
      maintenance: m,
      ...(p.authenticity ? { authenticity: p.authenticity } : {}),
    });
    return { outcome, maintenanceId: st.row.id, events: b.events.slice(before).map((e) => e.event.type) };
  }

  private async create(b: Batch, p: MaintenanceParsed, incoming: Map<string, { ref: string; impact: Impact }>, correlationId: string | undefined): Promise<MState> {
    const m = p.maintenance;
    const status = effectiveStatus(m.status, undefined);
    const first = statusTransitions(status, initialPhase(m, b.now));
    const st: MState = {
      row: {
        id: randomUUID(),
        providerType: p.providerType,
        maintenanceId: m.maintenance_id,
        account: m.account,
        organizer: m.organizer,
        uid: m.uid,
        status,
        start: m.start,
        end: m.end,
        summary: m.summary,
        sequence: m.sequence,
        stamp: m.stamp,
        version: 1,
        phase: first.phase,
        lastNoticeId: p.noticeId,
        ...(p.authenticity ? { authenticity: p.authenticity } : {}),
        createdAt: b.now,
        updatedAt: b.now,
      },
      isNew: true,
      dirty: true,
      impacts: [],
      impactsChanged: true,
    };
    b.states.set(mkey(p.providerType, m.maintenance_id), st);
    b.names.set(st.row.id, st.row.maintenanceId);
    st.impacts = this.resolve(b, st, p.providerType, incoming);
    b.windows.push({ maintenanceId: st.row.id, start: m.start, end: m.end, sequence: m.sequence, stamp: m.stamp, noticeId: p.noticeId });
    pushAlternates(b, st.row.id, p);
    if (!TERMINAL.includes(status)) {
      // Announced again under a new id: replaces a RE-SCHEDULED maintenance it names or whose circuits it covers.
      // As loaded, unless an earlier message of this batch changed one of them.
      const candidates = (b.rescheduled.get(st.row.providerType) ?? [])
        .map((c) => {
          const held = b.states.get(mkey(c.maintenance.providerType, c.maintenance.maintenanceId));
          return held ? { maintenance: held.row, circuitKeys: held.impacts.map((i) => i.circuitKey) } : c;
        })
        .filter((c) => c.maintenance.status === 'RE-SCHEDULED' && !c.maintenance.replacedById && c.maintenance.id !== st.row.id);
      const keys = new Set(st.impacts.map((i) => i.circuitKey));
      const old = this.pick(candidates, (c) => namesId(st.row.summary, c.maintenance.maintenanceId), (c) => covers(keys, c.circuitKeys), st.row.start);
      // Locked only now: re-checked, another batch may have linked or changed it meanwhile.
      const oldState = old && (await this.stateOf(b, old));
      if (oldState && oldState.row.status === 'RE-SCHEDULED' && !oldState.row.replacedById) {
        oldState.row = { ...oldState.row, replacedById: st.row.id, version: oldState.row.version + 1, updatedAt: b.now };
        oldState.dirty = true;
        st.row = { ...st.row, replacesId: oldState.row.id };
        this.linkNotes(b, oldState.row, st.row);
        this.emit(b, oldState, 'updated', { changes: [{ field: 'replacedBy', new: st.row.maintenanceId }], noticeId: p.noticeId }, correlationId);
      }
    } else if (status === 'RE-SCHEDULED') {
      await this.linkToReplacement(b, st, p.noticeId, correlationId);
    }
    for (const type of ['new' as const, ...first.events]) this.emit(b, st, type, { noticeId: p.noticeId }, correlationId);
    return st;
  }

  private async update(b: Batch, st: MState, p: MaintenanceParsed, incoming: Map<string, { ref: string; impact: Impact }>, correlationId: string | undefined): Promise<ParsedOutcome> {
    const m = p.maintenance;
    const current = st.row;
    const order = compareVersion(m, current);
    if (order === 'older') {
      this.note(b, current.id, 'info', [
        `Notice ${p.noticeId} (sequence ${m.sequence}, stamp ${iso(m.stamp)}) is older than the one applied ` +
          `(sequence ${current.sequence}, stamp ${iso(current.stamp)}): recorded, not applied.`,
      ]);
      return 'stale';
    }
    if (order === 'same') return 'no-change';

    const status = effectiveStatus(m.status, current.status);
    // A cancellation or completion listing no circuits is about the circuits already linked.
    const impacts = incoming.size === 0 ? st.impacts : this.resolve(b, st, p.providerType, incoming);
    const before: Comparable = { ...current, circuits: circuitsOf(st.impacts) };
    const after: Comparable = { status, start: m.start, end: m.end, summary: m.summary, account: m.account, organizer: m.organizer, circuits: circuitsOf(impacts) };
    const changes = changesBetween(before, after);
    st.dirty = true;
    if (changes.length === 0) {
      // The same maintenance again: it now stands on this notice's authentication.
      st.row = { ...current, sequence: m.sequence, stamp: m.stamp, uid: m.uid, lastNoticeId: p.noticeId, authenticity: p.authenticity };
      return 'no-change';
    }
    const windowMoved = m.start !== current.start || m.end !== current.end;
    const phase = windowMoved ? phaseAfterReschedule(current.phase, m, b.now, this.options.leadSeconds) : current.phase;
    const transitions = statusTransitions(status, phase);
    st.row = {
      ...current,
      account: m.account,
      organizer: m.organizer,
      uid: m.uid,
      status,
      start: m.start,
      end: m.end,
      summary: m.summary,
      sequence: m.sequence,
      stamp: m.stamp,
      version: current.version + 1,
      phase: transitions.phase,
      lastNoticeId: p.noticeId,
      // What devices may be done for follows the notice that set the maintenance as it now is:
      // an unauthenticated reschedule of an authenticated maintenance is not acted on.
      authenticity: p.authenticity,
      updatedAt: b.now,
    };
    if (changes.some((c) => c.field === 'circuits')) {
      st.impacts = impacts;
      st.impactsChanged = true;
    }
    if (windowMoved) {
      b.windows.push({ maintenanceId: current.id, start: m.start, end: m.end, sequence: m.sequence, stamp: m.stamp, noticeId: p.noticeId });
      pushAlternates(b, current.id, p);
    }
    // RE-SCHEDULED with the same window: the new window comes under another id. (With a moved
    // window the provider rescheduled in place, and this maintenance is the new window.)
    if (status === 'RE-SCHEDULED' && current.status !== 'RE-SCHEDULED' && !windowMoved && !st.row.replacedById) {
      await this.linkToReplacement(b, st, p.noticeId, correlationId);
    }
    const type = changeEventType(changes, transitions.events);
    const previousWindow = windowMoved ? { start: current.start, end: current.end } : undefined;
    for (const t of [...(type ? [type] : []), ...transitions.events]) {
      this.emit(b, st, t, { changes, noticeId: p.noticeId, ...(t === 'rescheduled' ? { previousWindow } : {}) }, correlationId);
    }
    return 'applied';
  }

  /** A RE-SCHEDULED maintenance finds the maintenance announced in its place, if one came first. */
  private async linkToReplacement(b: Batch, old: MState, noticeId: string, correlationId: string | undefined): Promise<void> {
    const oldKeys = old.impacts.map((i) => i.circuitKey);
    const stored = await b.r.maintenances.replacementCandidates(old.row, this.options.linkHorizonSeconds);
    // Candidates created earlier in this batch are not in the table yet; those loaded are taken as the batch holds them.
    const fromBatch = [...b.states.values()]
      .filter((s) => s.isNew && s !== old && s.row.providerType === old.row.providerType && !s.row.replacesId && !TERMINAL.includes(s.row.status))
      .map((s) => ({ maintenance: s.row, circuitKeys: s.impacts.map((i) => i.circuitKey) }));
    const candidates = [...fromBatch, ...stored.map((c) => {
      const s = b.states.get(mkey(c.maintenance.providerType, c.maintenance.maintenanceId));
      return s ? { maintenance: s.row, circuitKeys: s.impacts.map((i) => i.circuitKey) } : c;
    })].filter((c) => !c.maintenance.replacesId);
    const chosen = this.pick(candidates, (c) => namesId(c.maintenance.summary, old.row.maintenanceId), (c) => covers(new Set(c.circuitKeys), oldKeys), old.row.start);
    if (!chosen) return;
    const replacement = await this.stateOf(b, chosen);
    if (!replacement || replacement.row.replacesId) return;
    replacement.row = { ...replacement.row, replacesId: old.row.id, version: replacement.row.version + 1, updatedAt: b.now };
    replacement.dirty = true;
    old.row = { ...old.row, replacedById: replacement.row.id };
    this.linkNotes(b, old.row, replacement.row);
    this.emit(b, replacement, 'updated', { changes: [{ field: 'replaces', new: old.row.maintenanceId }], noticeId }, correlationId);
  }

  /** The batch's state of a maintenance, loading its impacts when the batch does not hold it yet. */
  /**
   * The batch's state of a maintenance the batch did not load: locked now (candidates are read
   * without a lock, so that batches do not queue behind each other on every RE-SCHEDULED row),
   * undefined when it no longer exists.
   */
  private async stateOf(b: Batch, c: MaintenanceWithCircuits): Promise<MState | undefined> {
    const k = mkey(c.maintenance.providerType, c.maintenance.maintenanceId);
    let s = b.states.get(k);
    if (!s) {
      const row = await b.r.maintenances.lockById(c.maintenance.id);
      if (!row) return undefined;
      s = { row, isNew: false, dirty: false, impacts: await b.r.maintenances.impacts(row.id), impactsChanged: false };
      b.names.set(s.row.id, s.row.maintenanceId);
      const linked = [s.row.replacesId, s.row.replacedById].filter((id): id is string => !!id && !b.names.has(id));
      for (const [id, name] of await b.r.maintenances.maintenanceIdsOf(linked)) b.names.set(id, name);
      const missing = groupsOf(s.impacts).filter((g) => !b.groupSizes.has(g));
      if (missing.length > 0) for (const [g, n] of await b.r.circuits.groupSizes(missing)) b.groupSizes.set(g, n);
      b.states.set(k, s);
    }
    return s;
  }

  private linkNotes(b: Batch, old: MaintenanceRecord, replacement: MaintenanceRecord): void {
    this.note(b, old.id, 'info', [`Replaced by ${replacement.maintenanceId} (announced under a new id).`]);
    this.note(b, replacement.id, 'info', [`Replaces ${old.maintenanceId}, which the provider re-scheduled.`]);
  }

  private emit(b: Batch, st: MState, type: LifecycleType, extra: { changes?: Change[]; previousWindow?: { start: number; end: number }; noticeId?: string }, correlationId: string | undefined): void {
    const name = (id: string | undefined) => (id ? b.names.get(id) : undefined);
    const snapshot = snapshotOf(st.row, {
      providerName: b.providerNames.get(st.row.providerType) ?? st.row.providerType,
      impacts: st.impacts,
      groupSizes: b.groupSizes,
      replaces: name(st.row.replacesId),
      replacedBy: name(st.row.replacedById),
      authentication: this.authentication.of(st.row),
    });
    b.events.push({ event: lifecycleEvent(type, snapshot, b.now, extra), maintenanceId: st.row.id, ...(correlationId ? { correlationId } : {}) });
  }

  /** The candidate the notice names (closest window first), else the closest one whose circuits match within the horizon. */
  private pick(
    candidates: MaintenanceWithCircuits[],
    named: (c: MaintenanceWithCircuits) => boolean,
    matchesCircuits: (c: MaintenanceWithCircuits) => boolean,
    start: number,
  ): MaintenanceWithCircuits | undefined {
    const distance = (c: MaintenanceWithCircuits) => Math.abs(c.maintenance.start - start);
    const closest = (list: MaintenanceWithCircuits[]) => list.sort((x, y) => distance(x) - distance(y))[0];
    return closest(candidates.filter(named)) ?? closest(candidates.filter((c) => distance(c) <= this.options.linkHorizonSeconds && matchesCircuits(c)));
  }

  /**
   * Matches the notice's circuit ids with the inventory (any name, case-insensitively). An
   * unknown one becomes an unverified circuit (written with the batch) and a warning note on
   * the first maintenance naming it, or only a note, as configured.
   */
  private resolve(b: Batch, st: MState, providerType: string, incoming: Map<string, { ref: string; impact: Impact }>): ImpactRecord[] {
    const named = new Set(st.impacts.flatMap((i) => [i.circuitKey, circuitKey(i.circuitRef)]));
    const byCircuit = new Map<string, ImpactRecord>();
    const notes: string[] = [];
    for (const [key, { ref, impact }] of incoming) {
      const lookup = ckey(providerType, key);
      let circuit = b.found.get(lookup) ?? b.created.get(lookup);
      if (!circuit && this.options.unknownCircuits === 'create') {
        circuit = { id: randomUUID(), providerType, providerCircuitId: ref, key, aliases: [], verified: false, createdAt: b.now, updatedAt: b.now };
        b.created.set(lookup, circuit);
        notes.push(`Circuit ${ref} is not in the inventory: added as unverified. Verify it, or make it an alias of the circuit it is.`);
      } else if (!circuit && !named.has(key)) {
        notes.push(`Circuit ${ref} is not in the inventory.`);
      }
      // Two names of one circuit in one notice: one impact, the worse.
      const impactKey = circuit?.key ?? key;
      const prior = byCircuit.get(impactKey);
      byCircuit.set(impactKey, {
        circuitKey: impactKey,
        circuitRef: prior?.circuitRef ?? ref,
        impact: prior ? worseImpact(prior.impact, impact) : impact,
        ...(circuit ? { circuit } : {}),
      });
    }
    this.note(b, st.row.id, 'warning', notes);
    return [...byCircuit.values()].sort((x, y) => (x.circuitKey < y.circuitKey ? -1 : x.circuitKey > y.circuitKey ? 1 : 0));
  }

  private note(b: Batch, maintenanceId: string, level: 'info' | 'warning', texts: string[]): void {
    for (const text of texts) b.notes.push({ maintenanceId, author: AUTHOR, level, text });
  }
}

/** The notice's circuits by name key, each once with its worst impact. */
function dedupeCircuits(circuits: readonly { circuit_id: string; impact: Impact }[]): Map<string, { ref: string; impact: Impact }> {
  const out = new Map<string, { ref: string; impact: Impact }>();
  for (const c of circuits) {
    const key = circuitKey(c.circuit_id);
    if (!key) continue;
    const prior = out.get(key);
    out.set(key, { ref: prior?.ref ?? c.circuit_id.trim(), impact: prior ? worseImpact(prior.impact, c.impact) : c.impact });
  }
  return out;
}

/** True when `text` names `id` as a whole token (not inside a longer id). */
function namesId(text: string, id: string): boolean {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9])${escaped}($|[^A-Za-z0-9])`, 'i').test(text);
}

/** True when every circuit of `old` is among `keys` (and old names any). */
function covers(keys: ReadonlySet<string>, oldKeys: readonly string[]): boolean {
  return oldKeys.length > 0 && oldKeys.every((k) => keys.has(k));
}

function iso(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}

/** The further windows (BSO backup timeslots) a notice named, recorded after its primary window. */
function pushAlternates(b: Batch, maintenanceId: string, p: MaintenanceParsed): void {
  const m = p.maintenance;
  for (const w of p.alternateWindows ?? []) {
    b.windows.push({ maintenanceId, start: w.start, end: w.end, sequence: m.sequence, stamp: m.stamp, noticeId: p.noticeId, label: w.label });
  }
}
