import type { Document } from 'domhandler';
import { DateTime, Info } from 'luxon';
import type { CircuitImpact, Impact, MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import type { Parser, PartialMaintenance } from '../core/types';
import { resolveZone } from '../core/zones';
import { childElements, elementsNamed, htmlDocument, textOf } from '../core/html';

// BSO notices are nested layout tables; every label and value sits in a cell of its own
// ("Maintenance ID" | "11111", "Timeslot start time" | "Aug 29, 2022 15:00 UTC"), and the
// circuit list under "Expected impact level" is rows of "<service id> | <impact text>".
// The notice names no customer account, hence the fixed placeholder the reference uses.
const ACCOUNT_PLACEHOLDER = 'Customer info unavailable';

/** Heading such as "Maintenance_", "Maintenance Update_", "Maintenance Canceled_". */
const HEADING = /^maintenance(?:\s+([a-z]+))?\s*_$/i;

const STATUS_BY_HEADING: Record<string, MaintenanceStatus> = {
  update: 'RE-SCHEDULED',
  end: 'COMPLETED',
  canceled: 'CANCELLED',
  cancelled: 'CANCELLED',
  reminder: 'CONFIRMED',
};

/** Labels of the details block; a row starting with one of them ends a circuit list. */
const LABELS = {
  serviceIds: 'service id (sid)',
  reason: 'maintenance reason',
  details: 'maintenance details',
  id: 'maintenance id',
  start: 'timeslot start time',
  end: 'timeslot end time',
  duration: 'expected impact duration',
  impact: 'expected impact level',
} as const;
const KNOWN_LABELS = new Set<string>(Object.values(LABELS));
/**
 * "Timeslot start time (Backup)", "Expected impact level (Backup)": the rows of a backup
 * timeslot, a second window of the same maintenance (BSO offers it in case the primary one
 * cannot be used). Its rows are labels, never circuits.
 */
const BACKUP_SUFFIX = /\s*\(backup\)$/;

/** A row's label, lower-cased, without a trailing colon or "(Backup)". */
function labelOf(cell: string): { label: string; backup: boolean } {
  const lower = cell.toLowerCase().replace(/:$/, '').trim();
  const backup = BACKUP_SUFFIX.test(lower);
  return { label: backup ? lower.replace(BACKUP_SUFFIX, '') : lower, backup };
}

/** Month numbers by their first three letters, from luxon's English month names. */
const MONTHS = new Map(Info.months('short', { locale: 'en-US' }).map((name, i) => [name.toLowerCase(), i + 1]));
/** "Aug 29, 2022 15:00 UTC" (month first) or "29 Aug 2022 15:00 UTC"; the zone may be missing (UTC). */
const MONTH_FIRST = /^([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\s+(\d{1,2}):(\d{2})\s*(.*)$/;
const DAY_FIRST = /^(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?,?\s+(\d{4})\s+(\d{1,2}):(\d{2})\s*(.*)$/;

function timeslotEpoch(text: string): number {
  const monthFirst = MONTH_FIRST.exec(text);
  const m = monthFirst ?? DAY_FIRST.exec(text);
  if (!m) throw new ParserError(`unreadable timeslot "${text}"`);
  const [monthName, day] = monthFirst ? [m[1], m[2]] : [m[2], m[1]];
  const month = MONTHS.get(monthName.toLowerCase());
  const zone = m[6] ? resolveZone(m[6]) : 'UTC';
  if (!month) throw new ParserError(`unreadable month in timeslot "${text}"`);
  if (!zone) throw new ParserError(`unknown time zone in timeslot "${text}"`);
  const dt = DateTime.fromObject({ year: Number(m[3]), month, day: Number(day), hour: Number(m[4]), minute: Number(m[5]) }, { zone });
  if (!dt.isValid) throw new ParserError(`invalid timeslot "${text}": ${dt.invalidExplanation}`);
  return Math.floor(dt.toSeconds());
}

function impactOf(text: string): Impact {
  const lower = text.toLowerCase();
  if (lower.includes('hard down')) return 'OUTAGE';
  if (lower.includes('switch hit')) return 'REDUCED-REDUNDANCY';
  if (lower.includes('at risk only')) return 'NO-IMPACT';
  return 'OUTAGE';
}

/** Service IDs carry no spaces; one cell may list several, one per line. */
const splitIds = (cells: string[]): string[] => cells.flatMap((cell) => cell.split(' '));

/** One innermost table row: its non-empty cell texts and which table holds it. */
interface LeafRow {
  cells: string[];
  table: number;
}

/** What an upward walk needs of a DOM node (structural, so no DOM typings are imported). */
interface TreeNode {
  parent: TreeNode | null;
  name?: string;
}

/** The nearest ancestor element with this tag name (a plain parent walk, no selector engine). */
function ancestor(node: TreeNode, tag: string): TreeNode | undefined {
  for (let p = node.parent; p; p = p.parent) if (p.name === tag) return p;
  return undefined;
}

/** Every innermost table row with text, in document order. */
function leafRows(doc: Document): LeafRow[] {
  const all = elementsNamed(doc, 'tr');
  // A row holding another row is a layout row, not a label/value row.
  const outer = new Set(all.map((tr) => ancestor(tr, 'tr')));
  const tables = new Map<TreeNode | undefined, number>();
  const rows: LeafRow[] = [];
  for (const tr of all) {
    if (outer.has(tr)) continue;
    const cells = childElements(tr, 'td', 'th')
      .map((cell) => textOf(cell).replace(/\s+/g, ' ').trim())
      .filter((text) => text.length > 0);
    if (cells.length === 0) continue;
    const table = ancestor(tr, 'table');
    if (!tables.has(table)) tables.set(table, tables.size);
    rows.push({ cells, table: tables.get(table) ?? -1 });
  }
  return rows;
}

/**
 * BSO notice body. Several timeslots under one Maintenance ID are one maintenance (BSO
 * keeps one ticket for them): earliest start to latest end, as the reference does. A backup
 * timeslot is not one of them: the primary stays the window and the backup goes beside the
 * record as an alternate window (the reference stretches the end to the backup's end).
 */
export const bsoHtmlParser: Parser = {
  name: 'bso-html',
  dataTypes: ['html'],
  parse: (part) => {
    const rows = leafRows(htmlDocument(part));
    let status: MaintenanceStatus | undefined;
    let summary: string | undefined;
    let maintenanceId: string | undefined;
    let start: number | undefined;
    let end: number | undefined;
    let backupStart: number | undefined;
    let backupEnd: number | undefined;
    const impacts = new Map<string, Impact>();
    const serviceIds: string[] = [];
    // A circuit list runs from its label's row to the end of that label's table.
    // The backup timeslot's impact list repeats the primary's circuits: read, not kept.
    let list: { kind: 'impacts' | 'services' | 'backup-impacts'; table: number } | undefined;

    for (let i = 0; i < rows.length; i++) {
      const { cells, table } = rows[i];
      const [first, second] = cells;
      const { label, backup } = labelOf(first);
      const heading = cells.length === 1 ? HEADING.exec(first) : null;
      if (heading) {
        status = STATUS_BY_HEADING[heading[1]?.toLowerCase() ?? ''] ?? 'CONFIRMED';
        continue;
      }
      if (KNOWN_LABELS.has(label) || (list && list.table !== table)) list = undefined;
      else if (list?.kind === 'impacts' && second !== undefined) {
        if (!impacts.has(first)) impacts.set(first, impactOf(second));
        continue;
      } else if (list?.kind === 'services') {
        serviceIds.push(...splitIds(cells));
        continue;
      } else if (list?.kind === 'backup-impacts') {
        continue;
      }
      if (backup) {
        if (label === LABELS.start && second) backupStart = Math.min(backupStart ?? Infinity, timeslotEpoch(second));
        else if (label === LABELS.end && second) backupEnd = Math.max(backupEnd ?? -Infinity, timeslotEpoch(second));
        else if (label === LABELS.impact) list = { kind: 'backup-impacts', table };
        continue;
      }
      switch (label) {
        case LABELS.serviceIds:
          list = { kind: 'services', table };
          serviceIds.push(...splitIds(cells.slice(1)));
          break;
        case LABELS.reason:
          summary = second ?? rows[i + 1]?.cells[0];
          break;
        case LABELS.id:
          maintenanceId = second;
          break;
        case LABELS.start:
          if (second) start = Math.min(start ?? Infinity, timeslotEpoch(second));
          break;
        case LABELS.end:
          if (second) end = Math.max(end ?? -Infinity, timeslotEpoch(second));
          break;
        case LABELS.impact:
          list = { kind: 'impacts', table };
          break;
      }
    }

    if (!maintenanceId) throw new ParserError('no "Maintenance ID" in the BSO notice');
    if (start === undefined || end === undefined) throw new ParserError('no "Timeslot start time" / "Timeslot end time" in the BSO notice');
    // The impact list names each circuit with its impact; the service list is the fallback.
    const circuits: CircuitImpact[] =
      impacts.size > 0
        ? [...impacts].map(([circuit_id, impact]) => ({ circuit_id, impact }))
        : [...new Set(serviceIds)].map((circuit_id) => ({ circuit_id, impact: 'OUTAGE' }));
    const record: PartialMaintenance = {
      account: ACCOUNT_PLACEHOLDER,
      maintenance_id: maintenanceId,
      status: status ?? 'CONFIRMED',
      start,
      end,
      circuits,
      summary,
    };
    if (backupStart !== undefined && backupEnd !== undefined && backupEnd > backupStart) {
      record.alternateWindows = [{ start: backupStart, end: backupEnd, label: 'backup' }];
    }
    return [record];
  },
};
