import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { CIRCUIT_TYPES, type CircuitInput } from '@maintwatch/persistence';
import { BadRequestError } from '../errors';

/** The columns a circuit import file may have (a header row names them, in any order). */
export const CSV_COLUMNS = [
  'provider',
  'circuit_id',
  'aliases',
  'a_side',
  'z_side',
  'type',
  'description',
  'redundancy_group',
  'device',
  'interface',
  'bgp_group',
  'bgp_neighbor',
  'verified',
] as const;

const REQUIRED = ['provider', 'circuit_id'] as const;
const MAX_ROWS = 50_000;

// An empty cell means "not given": an existing circuit keeps that field.
const cell = (max: number) => z.string().trim().max(max).optional().transform((v) => (v === '' ? undefined : v));

const Row = z
  .object({
    provider: z.string().trim().min(1, 'required').max(64),
    circuit_id: z.string().trim().min(1, 'required').max(512),
    aliases: cell(10_000).transform((v) => (v === undefined ? [] : v.split(';').map((a) => a.trim()).filter(Boolean))),
    a_side: cell(512),
    z_side: cell(512),
    type: cell(16).pipe(z.enum(CIRCUIT_TYPES).optional()),
    description: cell(4096),
    redundancy_group: cell(255),
    device: cell(255),
    interface: cell(255),
    bgp_group: cell(255),
    bgp_neighbor: cell(255),
    verified: cell(5).pipe(z.enum(['true', 'false']).optional()),
  })
  .superRefine((r, ctx) => {
    if (!r.device && (r.interface || r.bgp_group || r.bgp_neighbor)) ctx.addIssue({ code: 'custom', path: ['device'], message: 'required when interface or bgp columns are given' });
  });

/** One data row of an import file, checked. */
export type CsvRow =
  | { line: number; ok: true; circuit: CircuitInput & { aliases: string[] }; given: Set<string> }
  | { line: number; ok: false; errors: { field: string; message: string }[] };

/**
 * Reads a circuit import file: a header row naming columns of CSV_COLUMNS (provider and
 * circuit_id required), then one circuit per row. A file that cannot be read at all is a
 * BadRequestError; a bad row is reported with its line and fields, and the others go on.
 */
export function readCircuitCsv(text: string): CsvRow[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: false,
      info: true,
      relax_column_count: false,
    }) as { record: Record<string, string>; info: { lines: number } }[];
  } catch (err) {
    throw new BadRequestError('the CSV file cannot be read', [{ field: 'body', message: (err as Error).message }], { cause: err });
  }
  const header = Object.keys(records[0]?.record ?? {});
  if (records.length === 0) throw new BadRequestError('the CSV file has no data rows', [{ field: 'body', message: `a header row (${CSV_COLUMNS.join(',')}) and one row per circuit` }]);
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (unknown.length > 0 || missing.length > 0) {
    throw new BadRequestError('the CSV header is not right', [
      ...unknown.map((h) => ({ field: h, message: `unknown column (known: ${CSV_COLUMNS.join(', ')})` })),
      ...missing.map((h) => ({ field: h, message: 'required column' })),
    ]);
  }
  if (records.length > MAX_ROWS) throw new BadRequestError(`the CSV file has more than ${MAX_ROWS} rows: split it`);
  return records.map(({ record, info }) => {
    const res = Row.safeParse(record);
    if (!res.success) return { line: info.lines, ok: false, errors: res.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'row', message: i.message })) };
    const r = res.data;
    const given = new Set(Object.entries(record).filter(([, v]) => v.trim() !== '').map(([k]) => k));
    const circuit: CircuitInput & { aliases: string[] } = {
      providerType: r.provider,
      providerCircuitId: r.circuit_id,
      aliases: r.aliases,
      ...(r.a_side !== undefined ? { aSide: r.a_side } : {}),
      ...(r.z_side !== undefined ? { zSide: r.z_side } : {}),
      ...(r.type !== undefined ? { type: r.type } : {}),
      ...(r.description !== undefined ? { description: r.description } : {}),
      ...(r.redundancy_group !== undefined ? { redundancyGroup: r.redundancy_group } : {}),
      ...(r.device !== undefined
        ? { deviceBinding: { device: r.device, ...(r.interface ? { interface: r.interface } : {}), ...(r.bgp_group ? { bgpGroup: r.bgp_group } : {}), ...(r.bgp_neighbor ? { bgpNeighbor: r.bgp_neighbor } : {}) } }
        : {}),
      ...(r.verified !== undefined ? { verified: r.verified === 'true' } : {}),
    };
    return { line: info.lines, ok: true, circuit, given };
  });
}
