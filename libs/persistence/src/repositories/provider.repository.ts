import type { EntityManager } from 'typeorm';
import { StoreConflictError, StoreNotFoundError } from '../errors';
import type { ProviderRecord } from '../models';
import { returnedRows } from '../pg-errors';

/** A built-in provider default, as the registry defines it. */
export interface BuiltInProvider {
  type: string;
  name: string;
  senders: readonly string[];
  defaultOrganizer: string;
}

/** An operator's edit: a value sets the field, null returns it to the built-in default. */
export interface ProviderEdit {
  name?: string | null;
  senders?: string[] | null;
  defaultOrganizer?: string | null;
  enabled?: boolean;
}

interface ProviderRow {
  type: string;
  built_in: boolean;
  built_in_name: string | null;
  built_in_senders: string[] | null;
  built_in_default_organizer: string | null;
  name: string | null;
  senders: string[] | null;
  default_organizer: string | null;
  enabled: boolean;
}

const COLUMNS = 'type, built_in, built_in_name, built_in_senders, built_in_default_organizer, name, senders, default_organizer, enabled';

/** Providers: seeded from the built-in registry, edited by operators. */
export class ProviderRepository {
  constructor(private readonly m: EntityManager) {}

  /**
   * Refreshes the built-in defaults of every registry provider (new ones are added). Operator
   * edits are kept: they live in their own columns. Returns how many rows changed.
   */
  async seedBuiltIns(defs: readonly BuiltInProvider[]): Promise<number> {
    if (defs.length === 0) return 0;
    const rows: [string, string, string[], string][] = defs.map((d) => [d.type, d.name, [...d.senders], d.defaultOrganizer]);
    const result: unknown[] = await this.m.query(
      `INSERT INTO provider (type, built_in, built_in_name, built_in_senders, built_in_default_organizer)
       SELECT r->>0, true, r->>1, ARRAY(SELECT jsonb_array_elements_text(r->2)), r->>3 FROM jsonb_array_elements($1::jsonb) r
       ON CONFLICT (type) DO UPDATE SET built_in = true, built_in_name = excluded.built_in_name,
         built_in_senders = excluded.built_in_senders, built_in_default_organizer = excluded.built_in_default_organizer, updated_at = now()
       WHERE provider.built_in IS DISTINCT FROM true OR provider.built_in_name IS DISTINCT FROM excluded.built_in_name
         OR provider.built_in_senders IS DISTINCT FROM excluded.built_in_senders
         OR provider.built_in_default_organizer IS DISTINCT FROM excluded.built_in_default_organizer
       RETURNING type`,
      [JSON.stringify(rows)],
    );
    return result.length;
  }

  /** Makes sure a provider row exists for a type the parser named (unknown types get a bare row). */
  async ensure(type: string): Promise<void> {
    await this.m.query(`INSERT INTO provider (type) VALUES ($1) ON CONFLICT (type) DO NOTHING`, [type]);
  }

  /** Every provider, enabled or not, by type. */
  async list(): Promise<ProviderRecord[]> {
    const rows: ProviderRow[] = await this.m.query(`SELECT ${COLUMNS} FROM provider ORDER BY type`);
    return rows.map(toRecord);
  }

  /** One provider. */
  async get(type: string): Promise<ProviderRecord | undefined> {
    const rows: ProviderRow[] = await this.m.query(`SELECT ${COLUMNS} FROM provider WHERE type = $1`, [type]);
    return rows[0] && toRecord(rows[0]);
  }

  /** Adds a provider the registry does not know (its notices can only be BCOP calendars). */
  async create(p: { type: string; name: string; senders: string[]; defaultOrganizer?: string; enabled?: boolean }): Promise<ProviderRecord> {
    const rows: ProviderRow[] = await this.m.query(
      `INSERT INTO provider (type, name, senders, default_organizer, enabled) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (type) DO NOTHING RETURNING ${COLUMNS}`,
      [p.type, p.name, p.senders, p.defaultOrganizer ?? null, p.enabled ?? true],
    );
    if (!rows[0]) throw new StoreConflictError(`provider ${p.type} exists`);
    return toRecord(rows[0]);
  }

  /** Applies an operator's edit. */
  async update(type: string, edit: ProviderEdit): Promise<ProviderRecord> {
    const sets: string[] = [];
    const params: unknown[] = [type];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (edit.name !== undefined) set('name', edit.name);
    if (edit.senders !== undefined) set('senders', edit.senders);
    if (edit.defaultOrganizer !== undefined) set('default_organizer', edit.defaultOrganizer);
    if (edit.enabled !== undefined) set('enabled', edit.enabled);
    const rows = returnedRows<ProviderRow>(
      await this.m.query(`UPDATE provider SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE type = $1 RETURNING ${COLUMNS}`, params),
    );
    if (!rows[0]) throw new StoreNotFoundError(`provider ${type} does not exist`);
    return toRecord(rows[0]);
  }
}

function toRecord(r: ProviderRow): ProviderRecord {
  const edited: ProviderRecord['edited'] = {};
  if (r.name !== null) edited.name = r.name;
  if (r.senders !== null) edited.senders = r.senders;
  if (r.default_organizer !== null) edited.defaultOrganizer = r.default_organizer;
  const defaultOrganizer = r.default_organizer ?? r.built_in_default_organizer ?? undefined;
  return {
    type: r.type,
    name: r.name ?? r.built_in_name ?? r.type,
    senders: r.senders ?? r.built_in_senders ?? [],
    ...(defaultOrganizer !== undefined ? { defaultOrganizer } : {}),
    enabled: r.enabled,
    builtIn: r.built_in,
    edited,
  };
}
