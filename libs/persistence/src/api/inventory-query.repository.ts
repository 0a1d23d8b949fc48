import type { EntityManager } from 'typeorm';
import { StoreConflictError, StoreNotFoundError } from '../errors';
import { circuitKey, type CircuitRecord } from '../models';
import { FOREIGN_KEY_VIOLATION, returnedRows, sqlState } from '../pg-errors';
import { CIRCUIT_COLUMNS, toCircuit, type CircuitRow } from '../repositories/circuit.repository';
import { Conditions, decodeCursor, encodeCursor, type Page } from './cursor';
import { InvalidCursorError } from './errors';

/** Filters and page of a circuit list (ordered by provider, then provider circuit id). */
export interface CircuitQuery {
  providerType?: string;
  redundancyGroup?: string;
  verified?: boolean;
  /** Devices bound: circuits acted on by the junos-gateway on this device. */
  device?: string;
  /** Part of any of its names, any case. */
  search?: string;
  limit: number;
  cursor?: string;
}

/** A redundancy group with how many circuits it has. */
export interface RedundancyGroupRecord {
  name: string;
  circuits: number;
}

const SORT_TAG = 'circuits';

/** The inventory reads and deletes of the API (circuits, providers, redundancy groups). */
export class InventoryQueryRepository {
  constructor(private readonly m: EntityManager) {}

  /** One page of circuits. */
  async circuits(q: CircuitQuery): Promise<Page<CircuitRecord>> {
    const c = new Conditions();
    if (q.providerType !== undefined) c.add(`c.provider_type = ${c.param(q.providerType)}`);
    if (q.redundancyGroup !== undefined) c.add(`c.redundancy_group = ${c.param(q.redundancyGroup)}`);
    if (q.verified !== undefined) c.add(`c.verified = ${c.param(q.verified)}`);
    if (q.device !== undefined) c.add(`c.device = ${c.param(q.device)}`);
    if (q.search !== undefined) {
      c.add(`EXISTS (SELECT 1 FROM circuit_name n WHERE n.circuit_id = c.id AND strpos(n.name_key, ${c.param(circuitKey(q.search))}) > 0)`);
    }
    if (q.cursor !== undefined) {
      const [provider, name, id] = decodeCursor(q.cursor, SORT_TAG, 3) as [string, string, string];
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new InvalidCursorError('cursor is not one this API handed out');
      c.add(`(c.provider_type, c.provider_circuit_id, c.id) > (${c.param(provider)}, ${c.param(name)}, ${c.param(id)}::uuid)`);
    }
    const rows: CircuitRow[] = await this.m.query(
      `SELECT ${CIRCUIT_COLUMNS} FROM circuit c ${c.clause()} ORDER BY c.provider_type, c.provider_circuit_id, c.id LIMIT ${c.param(q.limit + 1)}`,
      c.params,
    );
    const more = rows.length > q.limit;
    const page = (more ? rows.slice(0, q.limit) : rows).map(toCircuit);
    const last = page[page.length - 1];
    return { items: page, ...(more && last ? { nextCursor: encodeCursor(SORT_TAG, [last.providerType, last.providerCircuitId, last.id]) } : {}) };
  }

  /** Deletes a circuit (its names with it; maintenances keep naming it by the name they used). */
  async deleteCircuit(id: string): Promise<void> {
    const rows = returnedRows(await this.m.query(`DELETE FROM circuit WHERE id = $1 RETURNING id`, [id]));
    if (rows.length === 0) throw new StoreNotFoundError(`circuit ${id} does not exist`);
  }

  /**
   * Deletes a provider an operator added. Built-in providers come back at every start (disable
   * them instead), and one with circuits or maintenances cannot go: StoreConflictError.
   */
  async deleteProvider(type: string): Promise<void> {
    const found: { built_in: boolean }[] = await this.m.query(`SELECT built_in FROM provider WHERE type = $1`, [type]);
    if (!found[0]) throw new StoreNotFoundError(`provider ${type} does not exist`);
    if (found[0].built_in) throw new StoreConflictError(`provider ${type} is built in: disable it instead (enabled: false)`);
    try {
      await this.m.query(`DELETE FROM provider WHERE type = $1`, [type]);
    } catch (err) {
      if (sqlState(err) === FOREIGN_KEY_VIOLATION) throw new StoreConflictError(`provider ${type} has circuits or maintenances`, { cause: err });
      throw err;
    }
  }

  /** Every redundancy group with its number of circuits, by name. */
  async redundancyGroups(): Promise<RedundancyGroupRecord[]> {
    return this.m.query(`SELECT redundancy_group AS name, count(*)::int AS circuits FROM circuit WHERE redundancy_group IS NOT NULL GROUP BY 1 ORDER BY 1`);
  }

  /** The circuits of a redundancy group. */
  async groupCircuits(name: string): Promise<CircuitRecord[]> {
    const rows: CircuitRow[] = await this.m.query(
      `SELECT ${CIRCUIT_COLUMNS} FROM circuit c WHERE c.redundancy_group = $1 ORDER BY c.provider_type, c.provider_circuit_id, c.id`,
      [name],
    );
    return rows.map(toCircuit);
  }

  /** Ids of the maintenances not over yet that name any of these circuits (an inventory change may make or end overlaps). */
  async liveMaintenancesOf(circuitIds: readonly string[], now: number): Promise<string[]> {
    if (circuitIds.length === 0) return [];
    const rows: { id: string }[] = await this.m.query(
      `SELECT DISTINCT i.maintenance_id AS id FROM circuit_impact i JOIN maintenance m ON m.id = i.maintenance_id
       WHERE i.circuit_id = ANY($1::uuid[]) AND m.ends_at > to_timestamp($2)`,
      [circuitIds, now],
    );
    return rows.map((r) => r.id);
  }
}
