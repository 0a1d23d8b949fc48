import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Store,
  StoreConflictError,
  StoreNotFoundError,
  circuitKey,
  type CircuitInput,
  type CircuitPatch,
  type CircuitRecord,
  type ProviderEdit,
  type ProviderRecord,
  type RedundancyGroupRecord,
} from '@maintwatch/persistence';
import { DetectOverlapsUseCase } from '../../overlap/detect-overlaps.use-case';
import { ProviderTableService } from '../../providers/provider-table.service';
import { API_OPTIONS, type ApiOptions } from '../api.options';
import type { CircuitQueryDto } from '../dto/inventory.dto';
import { DependencyUnavailableError } from '../errors';
import { readCircuitCsv } from './circuit-csv';

/** The per-row report of a circuit import. */
export interface ImportReport {
  created: number;
  updated: number;
  failed: number;
  dryRun: boolean;
  rows: { line: number; outcome: 'created' | 'updated' | 'failed'; circuitId?: string; errors?: { field: string; message: string }[] }[];
}

/** Rolls a dry-run row's transaction back. */
class DryRunRollback extends Error {
  override name = 'DryRunRollback';
  constructor(readonly outcome: 'created' | 'updated') {
    super('dry run');
  }
}

/**
 * Providers and circuits as operators edit them. A provider edit is published to the
 * providers KV bucket (the parser follows it); a circuit edit that may make or end overlaps
 * (redundancy group, sides, removal) checks the overlaps of the maintenances naming it.
 */
@Injectable()
export class InventoryService {
  private readonly logger = new Logger(InventoryService.name);

  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(ProviderTableService) private readonly providerTable: ProviderTableService,
    @Inject(DetectOverlapsUseCase) private readonly overlaps: DetectOverlapsUseCase,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  /** Every provider. */
  providers(): Promise<ProviderRecord[]> {
    return this.store.repos.providers.list();
  }

  /** One provider. */
  async provider(type: string): Promise<ProviderRecord> {
    const p = await this.store.repos.providers.get(type);
    if (!p) throw new StoreNotFoundError(`provider ${type} does not exist`);
    return p;
  }

  /** Adds a provider (its notices can only be BCOP calendars: no parser knows its format). */
  async createProvider(p: { type: string; name: string; senders: string[]; defaultOrganizer?: string; enabled?: boolean }): Promise<ProviderRecord> {
    const created = await this.store.repos.providers.create(p);
    await this.publishProviders();
    return created;
  }

  /** Edits a provider. */
  async updateProvider(type: string, edit: ProviderEdit): Promise<ProviderRecord> {
    const updated = await this.store.repos.providers.update(type, edit);
    await this.publishProviders();
    return updated;
  }

  /** Deletes a provider an operator added (built-in ones can only be disabled). */
  async deleteProvider(type: string): Promise<void> {
    await this.store.repos.api.inventory.deleteProvider(type);
    await this.publishProviders();
  }

  /** A page of circuits. */
  circuits(q: CircuitQueryDto): Promise<{ items: CircuitRecord[]; nextCursor?: string }> {
    return this.store.repos.api.inventory.circuits({
      providerType: q.provider,
      redundancyGroup: q.redundancyGroup,
      verified: q.verified,
      device: q.device,
      search: q.q,
      limit: q.limit,
      cursor: q.cursor,
    });
  }

  /** One circuit. */
  async circuit(id: string): Promise<CircuitRecord> {
    const c = await this.store.repos.circuits.get(id);
    if (!c) throw new StoreNotFoundError(`circuit ${id} does not exist`);
    return c;
  }

  /** Adds a circuit to the inventory. */
  async createCircuit(input: CircuitInput): Promise<CircuitRecord> {
    await this.provider(input.providerType);
    return this.store.repos.circuits.create(input);
  }

  /** Edits a circuit. */
  async updateCircuit(id: string, patch: CircuitPatch): Promise<CircuitRecord> {
    const updated = await this.store.repos.circuits.update(id, patch);
    if (patch.redundancyGroup !== undefined || patch.aSide !== undefined || patch.zSide !== undefined) await this.recheckOverlaps([id]);
    return updated;
  }

  /** Removes a circuit (maintenances keep the name they used). */
  async deleteCircuit(id: string): Promise<void> {
    const affected = await this.store.repos.api.inventory.liveMaintenancesOf([id], this.options.now());
    await this.store.repos.api.inventory.deleteCircuit(id);
    await this.overlaps.recheck(affected);
  }

  /** Adds another name of the circuit. */
  addAlias(id: string, alias: string): Promise<CircuitRecord> {
    return this.store.repos.circuits.addAlias(id, alias);
  }

  /** Removes a name of the circuit (not its provider circuit id). */
  async removeAlias(id: string, alias: string): Promise<CircuitRecord> {
    const c = await this.circuit(id);
    if (!c.aliases.some((a) => circuitKey(a) === circuitKey(alias))) throw new StoreNotFoundError(`circuit ${id} has no alias ${alias}`);
    await this.store.repos.circuits.removeAlias(id, alias);
    return this.circuit(id);
  }

  /** Every redundancy group. */
  redundancyGroups(): Promise<RedundancyGroupRecord[]> {
    return this.store.repos.api.inventory.redundancyGroups();
  }

  /** A redundancy group with its circuits. */
  async redundancyGroup(name: string): Promise<{ name: string; circuits: CircuitRecord[] }> {
    const circuits = await this.store.repos.api.inventory.groupCircuits(name);
    if (circuits.length === 0) throw new StoreNotFoundError(`redundancy group ${name} has no circuits`);
    return { name, circuits };
  }

  /**
   * Imports circuits from CSV: a new name creates a circuit, a known one (any of its names)
   * updates the fields given. Each row is its own transaction, so a bad row is reported and
   * the others are kept; a dry run checks every row against the store and keeps nothing.
   */
  async importCsv(text: string, dryRun: boolean): Promise<ImportReport> {
    const report: ImportReport = { created: 0, updated: 0, failed: 0, dryRun, rows: [] };
    const touched: string[] = [];
    for (const row of readCircuitCsv(text)) {
      if (!row.ok) {
        report.rows.push({ line: row.line, outcome: 'failed', errors: row.errors });
        report.failed++;
        continue;
      }
      try {
        const { outcome, id } = await this.importRow(row.circuit, row.given, dryRun);
        report.rows.push({ line: row.line, outcome, ...(id ? { circuitId: id } : {}) });
        report[outcome]++;
        if (id && outcome === 'updated') touched.push(id);
      } catch (err) {
        if (!(err instanceof StoreConflictError || err instanceof StoreNotFoundError)) throw err;
        report.rows.push({ line: row.line, outcome: 'failed', errors: [{ field: err instanceof StoreNotFoundError ? 'provider' : 'circuit_id', message: err.message }] });
        report.failed++;
      }
    }
    if (!dryRun) await this.recheckOverlaps(touched);
    return report;
  }

  private async importRow(c: CircuitInput & { aliases: string[] }, given: Set<string>, dryRun: boolean): Promise<{ outcome: 'created' | 'updated'; id?: string }> {
    try {
      return await this.store.transaction(async (r) => {
        if (!(await r.providers.get(c.providerType))) throw new StoreNotFoundError(`provider ${c.providerType} does not exist`);
        const names = [c.providerCircuitId, ...c.aliases];
        const found = await r.circuits.findByKeys(c.providerType, names.map(circuitKey));
        const ids = new Set([...found.values()].map((f) => f.id));
        if (ids.size > 1) throw new StoreConflictError(`the names of this row belong to ${ids.size} different circuits`);
        const existing = [...found.values()][0];
        let result: { outcome: 'created' | 'updated'; id: string };
        if (!existing) {
          result = { outcome: 'created', id: (await r.circuits.create(c)).id };
        } else {
          const patch: CircuitPatch = {};
          if (given.has('a_side')) patch.aSide = c.aSide;
          if (given.has('z_side')) patch.zSide = c.zSide;
          if (given.has('type')) patch.type = c.type;
          if (given.has('description')) patch.description = c.description;
          if (given.has('redundancy_group')) patch.redundancyGroup = c.redundancyGroup;
          if (given.has('device')) patch.deviceBinding = c.deviceBinding;
          if (given.has('verified')) patch.verified = c.verified;
          if (Object.keys(patch).length > 0) await r.circuits.update(existing.id, patch);
          const known = new Set([existing.key, ...existing.aliases.map(circuitKey)]);
          for (const alias of c.aliases) if (!known.has(circuitKey(alias))) await r.circuits.addAlias(existing.id, alias);
          result = { outcome: 'updated', id: existing.id };
        }
        if (dryRun) throw new DryRunRollback(result.outcome);
        return result;
      });
    } catch (err) {
      if (err instanceof DryRunRollback) return { outcome: err.outcome };
      throw err;
    }
  }

  private async recheckOverlaps(circuitIds: string[]): Promise<void> {
    if (circuitIds.length === 0) return;
    await this.overlaps.recheck(await this.store.repos.api.inventory.liveMaintenancesOf(circuitIds, this.options.now()));
  }

  private async publishProviders(): Promise<void> {
    try {
      await this.providerTable.publish();
    } catch (err) {
      // The edit is stored; the table reaches the parser when NATS answers (the same edit again, or the next start).
      this.logger.warn(`provider table not published: ${(err as Error)?.message ?? String(err)}`);
      throw new DependencyUnavailableError('saved, but not yet published to the parser (NATS unavailable): repeat the request', { cause: err });
    }
  }
}
