import { Inject, Injectable } from '@nestjs/common';
import { AuthenticationPolicy } from '../../authentication/authentication-policy';
import { Store, StoreNotFoundError, type MaintenanceListItem, type MaintenanceQuery, type NoteLevel, type NoteRecord, type Page } from '@maintwatch/persistence';
import type { Principal } from '../auth/api-auth.guard';
import { API_OPTIONS, type ApiOptions } from '../api.options';
import type { MaintenanceDetailDto, MaintenanceQueryDto, MaintenanceSummary } from '../dto/maintenances.dto';

const OPEN_ITEMS = Buffer.from('{"items":[', 'utf8');

/** Maintenances as the API shows them: lists, shortcuts, the detail view, acks and notes. */
@Injectable()
export class MaintenanceViewService {
  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
    @Inject(AuthenticationPolicy) private readonly authentication: AuthenticationPolicy,
  ) {}

  /** A filtered, sorted page, as the response's JSON text (items built by PostgreSQL). */
  async listJson(q: MaintenanceQueryDto): Promise<Buffer> {
    const page = await this.store.repos.api.maintenances.listJson(this.query(q));
    // One buffer (outside the JS heap), so that the response is neither flattened nor measured as a string.
    return Buffer.concat([
      OPEN_ITEMS,
      Buffer.from(page.itemsJson, 'utf8'),
      Buffer.from(page.nextCursor ? `],"nextCursor":${JSON.stringify(page.nextCursor)}}` : ']}', 'utf8'),
    ]);
  }

  private query(q: MaintenanceQueryDto): MaintenanceQuery {
    return {
      statuses: q.status,
      providerType: q.provider,
      circuit: q.circuit,
      redundancyGroup: q.redundancyGroup,
      from: q.from,
      to: q.to,
      time: q.when,
      unacknowledged: q.unacknowledged === true ? true : undefined,
      overlapping: q.overlapping,
      now: this.options.now(),
      sort: q.sort,
      order: q.order,
      limit: q.limit,
      cursor: q.cursor,
    };
  }

  /** Live maintenances starting within `within` seconds, soonest first. */
  async startingSoon(within: number | undefined, limit: number): Promise<{ items: MaintenanceSummary[] }> {
    const now = this.options.now();
    const page = await this.store.repos.api.maintenances.list({
      time: 'upcoming',
      to: now + (within ?? this.options.leadSeconds),
      live: true,
      now,
      sort: 'start',
      order: 'asc',
      limit,
    });
    return { items: summaries(page).items };
  }

  /** Live maintenances whose window is open now, ending soonest first. */
  async inProgress(limit: number): Promise<{ items: MaintenanceSummary[] }> {
    const page = await this.store.repos.api.maintenances.list({ time: 'in-progress', live: true, now: this.options.now(), sort: 'end', order: 'asc', limit });
    return { items: summaries(page).items };
  }

  /** A maintenance with its circuits and impacts, window history, notes, notices, overlaps and drains. */
  async detail(id: string): Promise<MaintenanceDetailDto> {
    const repos = this.store.repos;
    const m = await repos.maintenances.getById(id);
    if (!m) throw new StoreNotFoundError(`maintenance ${id} does not exist`);
    const [impacts, windows, notes, notices, overlaps, drains] = await Promise.all([
      repos.maintenances.impacts(id),
      repos.maintenances.windows(id),
      repos.maintenances.notes(id),
      repos.api.maintenances.notices(id),
      repos.api.overlaps.activeOf(id),
      repos.api.drains.of(m.providerType, m.maintenanceId),
    ]);
    const others = await repos.api.maintenances.byIds([...overlaps.map((o) => (o.maintenanceA === id ? o.maintenanceB : o.maintenanceA)), ...[m.replacesId, m.replacedById].filter((x): x is string => !!x)]);
    const { lastNoticeId: _last, authenticity: _authenticity, ...row } = m;
    return {
      ...row,
      authentication: this.authentication.of(m),
      circuits: impacts.map((i) => ({ circuitRef: i.circuitRef, impact: i.impact, ...(i.circuit ? { circuit: i.circuit } : {}) })),
      overlapping: overlaps.length > 0,
      ...linkName('replaces', m.replacesId && others.get(m.replacesId)),
      ...linkName('replacedBy', m.replacedById && others.get(m.replacedById)),
      windows,
      notes,
      notices,
      drains,
      overlaps: overlaps.flatMap((o) => {
        const mine = o.maintenanceA === id;
        const other = others.get(mine ? o.maintenanceB : o.maintenanceA);
        if (!other) return [];
        return [
          {
            with: { id: other.id, providerType: other.providerType, maintenanceId: other.maintenanceId, window: mine ? o.bWindow : o.aWindow },
            sharedCircuits: o.sharedCircuits,
            redundancyGroups: o.redundancyGroups,
            detectedAt: o.detectedAt,
          },
        ];
      }),
    };
  }

  /** Marks the maintenance acknowledged (by the token's name unless told). */
  async ack(id: string, by: string | undefined, who: Principal): Promise<MaintenanceDetailDto> {
    await this.store.repos.maintenances.update(id, { acknowledged: { by: by ?? who.name, at: this.options.now() } });
    return this.detail(id);
  }

  /** Removes the acknowledgement. */
  async unack(id: string): Promise<MaintenanceDetailDto> {
    await this.store.repos.maintenances.update(id, { acknowledged: null });
    return this.detail(id);
  }

  /** The notes of a maintenance. */
  async notes(id: string): Promise<{ items: NoteRecord[] }> {
    if (!(await this.store.repos.maintenances.getById(id))) throw new StoreNotFoundError(`maintenance ${id} does not exist`);
    return { items: await this.store.repos.maintenances.notes(id) };
  }

  /** Adds a note (by the token's name unless told). */
  addNote(id: string, n: { text: string; level: NoteLevel; author?: string }, who: Principal): Promise<NoteRecord> {
    return this.store.repos.api.maintenances.addNote({ maintenanceId: id, author: n.author ?? who.name, level: n.level, text: n.text });
  }

  /** Changes a note. */
  updateNote(id: string, noteId: string, patch: { text?: string; level?: NoteLevel }): Promise<NoteRecord> {
    return this.store.repos.api.maintenances.updateNote(id, noteId, patch);
  }

  /** Deletes a note. */
  deleteNote(id: string, noteId: string): Promise<void> {
    return this.store.repos.api.maintenances.deleteNote(id, noteId);
  }
}

function linkName(key: 'replaces' | 'replacedBy', other: { maintenanceId: string } | undefined | '' | null): { replaces?: string; replacedBy?: string } {
  return other ? { [key]: other.maintenanceId } : {};
}

function summaries(page: Page<MaintenanceListItem>): { items: MaintenanceSummary[]; nextCursor?: string } {
  return {
    items: page.items.map(({ maintenance, circuits, overlapping }) => {
      const { lastNoticeId: _last, ...row } = maintenance;
      return { ...row, circuits, overlapping };
    }),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}
