import type { CheerioAPI } from 'cheerio';
import { DateTime, Info } from 'luxon';
import type { CircuitImpact, MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import type { Parser, PartialMaintenance } from '../core/types';
import { resolveZone } from '../core/zones';
import { htmlCheerio } from '../core/html';

// Verizon (MASTARS) notices: a greeting "Dear <account>,", a two-column table of
// "Label:" | value rows, an optional "Attention: ..." row telling a cancellation or a
// reschedule, and a "Circuits Affected" table whose header row names a "Circuit ID" column.

const LABEL = {
  windowGmt: /maintenance date\/time\s*\(gmt\)/i,
  windowLocal: /maintenance date\/time\s*\(local\)/i,
  summary: /description of maintenance/i,
  id: /mastars request number/i,
};
const GREETING = /^Dear\s+(.+?),/;
const CIRCUIT_HEADER = /^circuit id$/i;
/** Month numbers by their first three letters, from luxon's English month names. */
const MONTHS = new Map(Info.months('short', { locale: 'en-US' }).map((name, i) => [name.toLowerCase(), i + 1]));
/** "Aug 16 2021 23:01 GMT" (a comma after the day tolerated; no zone means GMT). */
const TIME = /^([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\s+(\d{1,2}):(\d{2})\s*(.*)$/;

const clean = (text: string): string => text.replace(/\s+/g, ' ').trim();

function timeEpoch(text: string): number {
  const m = TIME.exec(text);
  if (!m) throw new ParserError(`unreadable maintenance time "${text}"`);
  const month = MONTHS.get(m[1].toLowerCase());
  const zone = m[6] ? resolveZone(m[6]) : 'UTC';
  if (!month) throw new ParserError(`unreadable month in "${text}"`);
  if (!zone) throw new ParserError(`unknown time zone in "${text}"`);
  const dt = DateTime.fromObject({ year: Number(m[3]), month, day: Number(m[2]), hour: Number(m[4]), minute: Number(m[5]) }, { zone });
  if (!dt.isValid) throw new ParserError(`invalid maintenance time "${text}": ${dt.invalidExplanation}`);
  return Math.floor(dt.toSeconds());
}

/** "Aug 16 2021 23:01 GMT - Aug 17 2021 05:01 GMT" -> [start, end]. */
function windowOf(text: string): [number, number] {
  const halves = text.split(/\s+-\s+/);
  if (halves.length !== 2) throw new ParserError(`unreadable maintenance window "${text}"`);
  return [timeEpoch(halves[0].trim()), timeEpoch(halves[1].trim())];
}

function statusOf(attention: string): MaintenanceStatus | undefined {
  const lower = attention.toLowerCase();
  if (lower.includes('not completed') || lower.includes('cancel')) return 'CANCELLED';
  if (lower.includes('rescheduled')) return 'RE-SCHEDULED';
  return undefined;
}

/** One table row: its cell texts and the table holding it. */
interface Row {
  cells: string[];
  table: unknown;
}

/** What an upward walk needs of a DOM node (structural, so no DOM typings are imported). */
interface TreeNode {
  parent: TreeNode | null;
  name?: string;
}

/** The nearest enclosing table (a plain parent walk, no selector engine). */
function tableOf(node: TreeNode): TreeNode | undefined {
  for (let p = node.parent; p; p = p.parent) if (p.name === 'table') return p;
  return undefined;
}

/** Every table row's cell (td / th) texts, in document order. */
function rowsOf($: CheerioAPI): Row[] {
  return $('tr')
    .toArray()
    .map((tr) => ({
      cells: $(tr)
        .children()
        .filter((_, cell) => cell.name === 'td' || cell.name === 'th')
        .map((_, cell) => clean($(cell).text()))
        .get(),
      table: tableOf(tr),
    }));
}

/** Circuit IDs from the rows under a header row that has a "Circuit ID" column (same table). */
function circuitsOf(rows: readonly Row[]): CircuitImpact[] {
  const circuits: CircuitImpact[] = [];
  let table: unknown;
  let column = -1;
  for (const row of rows) {
    const header = row.cells.findIndex((c) => CIRCUIT_HEADER.test(c));
    if (header >= 0) [table, column] = [row.table, header];
    else if (column >= 0 && row.table === table && row.cells[column]) {
      circuits.push({ circuit_id: row.cells[column], impact: 'OUTAGE' });
    }
  }
  return circuits;
}

/** Verizon notice body (HTML). */
export const verizonHtmlParser: Parser = {
  name: 'verizon-html',
  dataTypes: ['html'],
  parse: (part) => {
    const $ = htmlCheerio(part);
    const record: PartialMaintenance = { status: 'CONFIRMED' };
    let localWindow: string | undefined;
    let gmtWindow: string | undefined;

    const rows = rowsOf($);
    for (const [label, value] of rows.map((r) => r.cells)) {
      if (!label) continue;
      if (label.startsWith('Attention:')) {
        record.status = statusOf(label) ?? record.status;
        continue;
      }
      if (value === undefined) continue;
      if (LABEL.windowGmt.test(label)) gmtWindow = value;
      else if (LABEL.windowLocal.test(label)) localWindow = value;
      else if (LABEL.summary.test(label)) record.summary = value;
      else if (LABEL.id.test(label)) record.maintenance_id = value;
    }

    $('p').each((_, p) => {
      const match = GREETING.exec(clean($(p).text()));
      if (match) {
        record.account = match[1];
        return false;
      }
      return undefined;
    });

    if (!record.maintenance_id) throw new ParserError('no "Verizon MASTARS Request number" in the Verizon notice');
    const window = gmtWindow ?? localWindow;
    if (!window) throw new ParserError('no "Maintenance Date/Time" in the Verizon notice');
    [record.start, record.end] = windowOf(window);
    record.circuits = circuitsOf(rows);
    return [record];
  },
};
