import { randomUUID } from 'node:crypto';
import type { DeviceBinding, DrainPolicy } from '@maintwatch/contracts';
import type { EntityManager } from 'typeorm';
import type { CircuitType } from '../entities/circuit.entity';
import { StoreConflictError, StoreNotFoundError } from '../errors';
import { circuitKey, epoch, pgJson, pgText, type CircuitRecord } from '../models';
import { returnedRows, sqlState, UNIQUE_VIOLATION } from '../pg-errors';

/** What an operator gives to create a circuit. */
export interface CircuitInput {
  providerType: string;
  providerCircuitId: string;
  aliases?: string[];
  aSide?: string | null;
  zSide?: string | null;
  type?: CircuitType | null;
  description?: string | null;
  redundancyGroup?: string | null;
  deviceBinding?: DeviceBinding | null;
  /** Default true: an operator's circuit is verified; a notice's unknown circuit is not. */
  verified?: boolean;
}

/** Fields an operator can change (null clears). */
export type CircuitPatch = Partial<Omit<CircuitInput, 'providerType' | 'providerCircuitId' | 'aliases'>>;

interface CircuitRow {
  id: string;
  provider_type: string;
  provider_circuit_id: string;
  aliases: string[];
  a_side: string | null;
  z_side: string | null;
  type: CircuitType | null;
  description: string | null;
  redundancy_group: string | null;
  device: string | null;
  device_interface: string | null;
  bgp_group: string | null;
  bgp_neighbor: string | null;
  drain_policy: DrainPolicy | null;
  verified: boolean;
  created_at: Date;
  updated_at: Date;
}

/** Columns of a circuit, with its aliases (c = circuit). */
export const CIRCUIT_COLUMNS = `c.id, c.provider_type, c.provider_circuit_id, c.a_side, c.z_side, c.type, c.description,
  c.redundancy_group, c.device, c.device_interface, c.bgp_group, c.bgp_neighbor, c.drain_policy, c.verified, c.created_at, c.updated_at,
  ARRAY(SELECT a.name FROM circuit_name a WHERE a.circuit_id = c.id AND NOT a."primary" ORDER BY a.name) AS aliases`;

/** Circuits and their names (provider circuit id and aliases, unique per provider). */
export class CircuitRepository {
  constructor(private readonly m: EntityManager) {}

  /** The circuits of a provider that any of these name keys (circuitKey()) names, by the key asked. */
  async findByKeys(providerType: string, keys: readonly string[]): Promise<Map<string, CircuitRecord>> {
    const found = new Map<string, CircuitRecord>();
    if (keys.length === 0) return found;
    const rows: (CircuitRow & { lookup_key: string })[] = await this.m.query(
      `SELECT n.name_key AS lookup_key, ${CIRCUIT_COLUMNS}
       FROM circuit_name n JOIN circuit c ON c.id = n.circuit_id
       WHERE n.provider_type = $1 AND n.name_key = ANY($2)`,
      [providerType, keys],
    );
    for (const r of rows) found.set(r.lookup_key, toCircuit(r));
    return found;
  }

  /**
   * Creates unverified circuits for names a notice used that the inventory does not know.
   * Two notices racing to create the same circuit make one transaction fail on the name's
   * uniqueness; run it in a transaction that retries on unique violations.
   */
  async createUnverified(providerType: string, names: readonly string[]): Promise<Map<string, CircuitRecord>> {
    const created = new Map<string, CircuitRecord>();
    if (names.length === 0) return created;
    // Sorted so that concurrent transactions take the name locks in the same order (no deadlock).
    const input = [...new Map(names.map((n) => [circuitKey(n), pgText(n.trim())])).entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, name]) => ({ id: randomUUID(), key, name }));
    const rows: CircuitRow[] = await this.m.query(
      `WITH input AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, key text, name text)),
       c AS (INSERT INTO circuit (id, provider_type, provider_circuit_id, verified)
             SELECT id, $1, name, false FROM input RETURNING *),
       n AS (INSERT INTO circuit_name (provider_type, name_key, name, circuit_id, "primary")
             SELECT $1, key, name, id, true FROM input)
       SELECT c.*, '{}'::text[] AS aliases FROM c`,
      [providerType, JSON.stringify(input)],
    );
    for (const r of rows) {
      const c = toCircuit(r);
      created.set(c.key, c);
    }
    return created;
  }

  /** The circuits any of these (provider type, name key) pairs names, by "<providerType> <key>". */
  async findByProviderKeys(pairs: readonly { providerType: string; key: string }[]): Promise<Map<string, CircuitRecord>> {
    const found = new Map<string, CircuitRecord>();
    if (pairs.length === 0) return found;
    const rows: (CircuitRow & { lookup: string })[] = await this.m.query(
      `SELECT n.provider_type || ' ' || n.name_key AS lookup, ${CIRCUIT_COLUMNS}
       FROM jsonb_to_recordset($1::jsonb) AS x(p text, k text)
       JOIN circuit_name n ON n.provider_type = x.p AND n.name_key = x.k
       JOIN circuit c ON c.id = n.circuit_id`,
      [pgJson(pairs.map((p) => ({ p: p.providerType, k: p.key })))],
    );
    for (const r of rows) found.set(r.lookup, toCircuit(r));
    return found;
  }

  /**
   * Inserts unverified circuits whose ids and names the caller chose (named by a notice,
   * unknown to the inventory). A name taken meanwhile by another transaction is a unique
   * violation: run it in a transaction that retries.
   */
  async insertUnverified(circuits: readonly { id: string; providerType: string; name: string }[]): Promise<void> {
    if (circuits.length === 0) return;
    // Sorted so that concurrent transactions take the name locks in the same order (no deadlock).
    const input = circuits
      .map((c) => ({ id: c.id, p: c.providerType, name: pgText(c.name.trim()), key: circuitKey(c.name) }))
      .sort((a, b) => (a.p + ' ' + a.key < b.p + ' ' + b.key ? -1 : 1));
    await this.m.query(
      `WITH input AS (SELECT * FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (id uuid, p text, name text, key text)) WITH ORDINALITY AS x(id, p, name, key, ord)),
       c AS (INSERT INTO circuit (id, provider_type, provider_circuit_id, verified) SELECT id, p, name, false FROM input ORDER BY ord)
       INSERT INTO circuit_name (provider_type, name_key, name, circuit_id, "primary") SELECT p, key, name, id, true FROM input ORDER BY ord`,
      [JSON.stringify(input)],
    );
  }

  /** Creates a circuit with its names. A name the provider already uses is a StoreConflictError. */
  async create(input: CircuitInput): Promise<CircuitRecord> {
    const id = randomUUID();
    const names = [{ key: circuitKey(input.providerCircuitId), name: input.providerCircuitId.trim(), primary: true }];
    for (const a of input.aliases ?? []) names.push({ key: circuitKey(a), name: a.trim(), primary: false });
    const b = input.deviceBinding;
    try {
      await this.m.query(
        `WITH c AS (INSERT INTO circuit (id, provider_type, provider_circuit_id, a_side, z_side, type, description, redundancy_group,
                      device, device_interface, bgp_group, bgp_neighbor, drain_policy, verified)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $15, $13) RETURNING id)
         INSERT INTO circuit_name (provider_type, name_key, name, circuit_id, "primary")
         SELECT $2, x.key, x.name, c.id, x."primary" FROM c, jsonb_to_recordset($14::jsonb) AS x(key text, name text, "primary" boolean)`,
        [
          id,
          input.providerType,
          input.providerCircuitId.trim(),
          input.aSide ?? null,
          input.zSide ?? null,
          input.type ?? null,
          input.description ?? null,
          input.redundancyGroup ?? null,
          b?.device ?? null,
          b?.interface ?? null,
          b?.bgpGroup ?? null,
          b?.bgpNeighbor ?? null,
          input.verified ?? true,
          JSON.stringify(names),
          b?.drain ? JSON.stringify(b.drain) : null,
        ],
      );
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION) {
        throw new StoreConflictError(`provider ${input.providerType} already has a circuit named ${names.map((n) => n.name).join(' or ')}`, { cause: err });
      }
      throw err;
    }
    return this.require(id);
  }

  private async require(id: string): Promise<CircuitRecord> {
    const c = await this.get(id);
    if (!c) throw new StoreNotFoundError(`circuit ${id} does not exist`);
    return c;
  }

  /** One circuit. */
  async get(id: string): Promise<CircuitRecord | undefined> {
    const rows: CircuitRow[] = await this.m.query(`SELECT ${CIRCUIT_COLUMNS} FROM circuit c WHERE c.id = $1`, [id]);
    return rows[0] && toCircuit(rows[0]);
  }

  /** Changes an operator's fields (a null clears one). */
  async update(id: string, patch: CircuitPatch): Promise<CircuitRecord> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (patch.aSide !== undefined) set('a_side', patch.aSide);
    if (patch.zSide !== undefined) set('z_side', patch.zSide);
    if (patch.type !== undefined) set('type', patch.type);
    if (patch.description !== undefined) set('description', patch.description);
    if (patch.redundancyGroup !== undefined) set('redundancy_group', patch.redundancyGroup);
    if (patch.verified !== undefined) set('verified', patch.verified);
    if (patch.deviceBinding !== undefined) {
      const b = patch.deviceBinding;
      set('device', b?.device ?? null);
      set('device_interface', b?.interface ?? null);
      set('bgp_group', b?.bgpGroup ?? null);
      set('bgp_neighbor', b?.bgpNeighbor ?? null);
      set('drain_policy', b?.drain ? JSON.stringify(b.drain) : null);
    }
    const result = returnedRows(await this.m.query(`UPDATE circuit SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING id`, params));
    if (result.length === 0) throw new StoreNotFoundError(`circuit ${id} does not exist`);
    return this.require(id);
  }

  /** Adds an alias (another spelling the provider uses). A name already taken is a StoreConflictError. */
  async addAlias(id: string, alias: string): Promise<CircuitRecord> {
    let inserted: unknown[];
    try {
      inserted = await this.m.query(
        `INSERT INTO circuit_name (provider_type, name_key, name, circuit_id, "primary")
         SELECT provider_type, $2, $3, id, false FROM circuit WHERE id = $1 RETURNING circuit_id`,
        [id, circuitKey(alias), alias.trim()],
      );
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION) throw new StoreConflictError(`the name ${alias} is taken`, { cause: err });
      throw err;
    }
    if (inserted.length === 0) throw new StoreNotFoundError(`circuit ${id} does not exist`);
    return this.require(id);
  }

  /** Removes an alias (the primary name cannot be removed). */
  async removeAlias(id: string, alias: string): Promise<void> {
    await this.m.query(`DELETE FROM circuit_name WHERE circuit_id = $1 AND name_key = $2 AND NOT "primary"`, [id, circuitKey(alias)]);
  }

  /** How many circuits each redundancy group has in the inventory. */
  async groupSizes(groups: readonly string[]): Promise<Map<string, number>> {
    const sizes = new Map<string, number>();
    if (groups.length === 0) return sizes;
    const rows: { g: string; n: number }[] = await this.m.query(
      `SELECT redundancy_group AS g, count(*)::int AS n FROM circuit WHERE redundancy_group = ANY($1) GROUP BY 1`,
      [groups],
    );
    for (const r of rows) sizes.set(r.g, r.n);
    return sizes;
  }
}

/** A circuit record from a row selected with CIRCUIT_COLUMNS. */
export function toCircuit(r: CircuitRow): CircuitRecord {
  const c: CircuitRecord = {
    id: r.id,
    providerType: r.provider_type,
    providerCircuitId: r.provider_circuit_id,
    key: circuitKey(r.provider_circuit_id),
    aliases: r.aliases ?? [],
    verified: r.verified,
    createdAt: epoch(r.created_at),
    updatedAt: epoch(r.updated_at),
  };
  if (r.a_side !== null) c.aSide = r.a_side;
  if (r.z_side !== null) c.zSide = r.z_side;
  if (r.type !== null) c.type = r.type;
  if (r.description !== null) c.description = r.description;
  if (r.redundancy_group !== null) c.redundancyGroup = r.redundancy_group;
  if (r.device !== null) {
    c.deviceBinding = { device: r.device };
    if (r.device_interface !== null) c.deviceBinding.interface = r.device_interface;
    if (r.bgp_group !== null) c.deviceBinding.bgpGroup = r.bgp_group;
    if (r.bgp_neighbor !== null) c.deviceBinding.bgpNeighbor = r.bgp_neighbor;
    if (r.drain_policy !== null) c.deviceBinding.drain = r.drain_policy;
  }
  return c;
}

/** The row shape CIRCUIT_COLUMNS selects. */
export type { CircuitRow };
