import type { AnyNode, Element } from 'domhandler';
import type { CircuitImpact, Impact, MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import { localToEpoch, resolveZone } from '../core/zones';
import type { Parser, PartialMaintenance } from '../core/types';
import { elementsNamed, htmlDocument, textOf } from '../core/html';

// Lumen (ex CenturyLink / Level 3) notices: headings "Scheduled Maintenance #: <id>" (or
// "Scheduled Maintenance Window #:"), "Summary:", "Updates:" (newest update first, stamped
// "YYYY-MM-DD HH:MM:SS GMT - …"), then per window a label, a Start/End table (GMT row plus
// local rows) and an impact matrix (Customer Name, Circuit ID, Alt Circuit ID, …, Impact
// Type, …, optionally Status). A notice with an alternate night has two Start/End tables.

/** "2021-05-20 07:00 GMT (Greenwich Mean Time)" / "2021-05-20 07:00:21 GMT - …". */
const STAMPED = /^(\d{4})-(\d{2})-(\d{2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+([A-Z]{2,5})\b/;
const HEADING_ID = /^scheduled maintenance(?: window)? #:\s*(\S+)/i;
const LABEL_ONLY = /^(summary|updates):\s*(.*)$/i;
/** Elements that start a new line of text (style, script and head are skipped as non-text). */
const BLOCK_TAGS = new Set(['p', 'div', 'table', 'tr', 'td', 'th', 'li', 'h1', 'h2', 'h3', 'h4', 'hr', 'center']);
/** Circuit ID cells Lumen leaves unfilled. */
const NO_CIRCUIT = new Set(['', '_', 'N/A']);

/** What the impact matrices of a notice give. */
interface ImpactMatrix {
  account?: string;
  circuits: CircuitImpact[];
  status?: MaintenanceStatus;
}

/** The impact matrix's per-circuit "Status" column, which wins over the update text. */
const ROW_STATUS: Record<string, MaintenanceStatus> = {
  completed: 'COMPLETED',
  postponed: 'RE-SCHEDULED',
  'alternate night': 'RE-SCHEDULED',
  'not completed': 'CANCELLED',
  cancelled: 'CANCELLED',
  canceled: 'CANCELLED',
};

/**
 * Lumen notice body. Gives one record per Start/End window table (the primary window and
 * an alternate night are two maintenances of one ticket), each with every circuit listed.
 */
export const lumenHtmlParser: Parser = {
  name: 'lumen-html',
  dataTypes: ['html'],
  parse: (part) => {
    const doc = htmlDocument(part);
    const windows: { start: number; end: number }[] = [];
    let windowTables = 0;
    const matrix: ImpactMatrix = { circuits: [] };
    for (const table of elementsNamed(doc, 'table')) {
      const rows = elementsNamed(table, 'tr')
        .map((tr) => cellsOf(tr).map((td) => squash(textOf(td))))
        .filter((cells) => cells.length > 0);
      if (rows.length === 0) continue;
      const head = rows[0].map((c) => c.toLowerCase());
      if (head[0] === 'start' && head[1] === 'end') {
        windowTables++;
        const window = windowOf(rows.slice(1));
        if (window) windows.push(window);
      } else if (head[0] === 'customer name') {
        readMatrix(head, rows.slice(1), matrix);
      }
    }

    const record: PartialMaintenance = {};
    const lines = textLines([doc]);
    let updateStatus: MaintenanceStatus | undefined;
    for (let i = 0; i < lines.length; i++) {
      const id = HEADING_ID.exec(lines[i]);
      if (id && !record.maintenance_id) {
        record.maintenance_id = id[1];
        continue;
      }
      const label = LABEL_ONLY.exec(lines[i]);
      if (!label) continue;
      const value = label[2] || lines[i + 1] || '';
      if (label[1].toLowerCase() === 'summary' && record.summary === undefined) record.summary = value;
      else if (label[1].toLowerCase() === 'updates' && record.stamp === undefined) {
        const stamp = stampedTime(value);
        if (stamp !== undefined) record.stamp = stamp;
        updateStatus = statusOfUpdate(value);
      }
    }
    if (!record.maintenance_id) throw new ParserError('not a Lumen notice: no "Scheduled Maintenance #:" heading');
    if (windows.length === 0) {
      throw new ParserError(
        windowTables > 0
          ? `Lumen notice ${record.maintenance_id}: no readable time in its Start/End table`
          : `Lumen notice ${record.maintenance_id}: no Start/End window table`,
      );
    }

    record.status = matrix.status ?? updateStatus ?? 'CONFIRMED';
    if (matrix.account) record.account = matrix.account;
    record.circuits = matrix.circuits;
    return windows.map((w) => ({ ...record, start: w.start, end: w.end }));
  },
};

/** Whitespace runs (source wrapping, &nbsp;) to one space, trimmed. */
function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The notice as text lines: line breaks and block elements end a line, while newlines of
 * the HTML source are only wrapping. Lets the headings ("Summary:", "Updates:") find their
 * value whether it is a sibling, a cousin or on the same line. Spacing inside a line is kept.
 */
function textLines(nodes: AnyNode[]): string[] {
  const lines: string[] = [];
  let line = '';
  const flush = () => {
    // Source line wraps become single spaces. Split + trim rather than one regex: a regex with
    // whitespace on both sides of the newline backtracks quadratically on long space runs.
    const text = line
      .split('\n')
      .map((segment) => segment.trim())
      .filter((segment) => segment !== '')
      .join(' ')
      .replace(/\u00a0/g, ' ')
      .trim();
    if (text) lines.push(text);
    line = '';
  };
  const walk = (list: AnyNode[]) => {
    for (const node of list) {
      if (node.type === 'text') line += node.data;
      else if (node.type === 'tag') {
        if (node.name === 'br') flush();
        else if (BLOCK_TAGS.has(node.name)) {
          flush();
          walk(node.children);
          flush();
        } else walk(node.children);
      } else if (node.type === 'root') walk(node.children);
    }
  };
  walk(nodes);
  flush();
  return lines;
}

/** The window of a Start/End table: its GMT row, else the first row in a zone we know. */
function windowOf(rows: string[][]): { start: number; end: number } | undefined {
  let fallback: { start: number; end: number } | undefined;
  for (const [startCell, endCell] of rows) {
    if (!startCell || !endCell) continue;
    const start = STAMPED.exec(startCell);
    const end = STAMPED.exec(endCell);
    if (!start || !end) continue;
    const zone = resolveZone(start[7]);
    if (!zone || resolveZone(end[7]) !== zone) continue;
    const window = { start: epochOf(start, zone), end: epochOf(end, zone) };
    if (zone === 'UTC') return window;
    fallback = fallback ?? window;
  }
  return fallback;
}

function epochOf(m: RegExpExecArray, zone: string): number {
  return localToEpoch(
    { year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: m[6] ? +m[6] : 0 },
    zone,
  );
}

/** "2021-05-20 07:00:21 GMT - …": the time of the newest update, the notice's stamp. */
function stampedTime(line: string): number | undefined {
  const m = STAMPED.exec(line);
  const zone = m && resolveZone(m[7]);
  return m && zone ? epochOf(m, zone) : undefined;
}

/**
 * The newest update's wording. Lumen says "This maintenance is scheduled" and "work has
 * begun" for an upcoming or running window; circuit-maintenance-parser reads both as IN-PROCESS.
 */
function statusOfUpdate(line: string): MaintenanceStatus | undefined {
  const l = line.toLowerCase();
  if (l.includes('this maintenance is scheduled') || l.includes('the scheduled maintenance work has begun')) return 'IN-PROCESS';
  if (l.includes('has been cancelled') || l.includes('has been canceled')) return 'CANCELLED';
  if (l.includes('has been postponed') || l.includes('has been rescheduled')) return 'RE-SCHEDULED';
  return undefined;
}

/** The impact matrix: account from the first row, a circuit per row, status from the Status column. */
function readMatrix(head: string[], rows: string[][], into: ImpactMatrix): void {
  const col = (name: string) => head.indexOf(name);
  const [nameCol, idCol, altCol, impactCol, statusCol] = [
    col('customer name'),
    col('circuit id'),
    col('alt circuit id'),
    col('impact type'),
    col('status'),
  ];
  for (const cells of rows) {
    if (cells.length < head.length - 1) continue;
    if (!into.account && cells[nameCol]) into.account = cells[nameCol];
    if (statusCol >= 0) {
      const status = ROW_STATUS[(cells[statusCol] ?? '').toLowerCase()];
      if (status) into.status = status;
    }
    let circuitId = idCol >= 0 ? cells[idCol] : '';
    if (NO_CIRCUIT.has(circuitId) && altCol >= 0) circuitId = cells[altCol];
    if (NO_CIRCUIT.has(circuitId)) continue;
    into.circuits.push({ circuit_id: circuitId, impact: lumenImpact(cells[impactCol] ?? '') });
  }
}

/** Lumen's "Impact Type": "Outage" mostly; a switch hit is a brief degradation. */
function lumenImpact(text: string): Impact {
  const t = text.toLowerCase();
  if (t.includes('outage')) return 'OUTAGE';
  if (t.includes('no impact') || t === 'none') return 'NO-IMPACT';
  if (t.includes('hit') || t.includes('degrad')) return 'DEGRADED';
  return 'OUTAGE';
}

/** The td/th cells of a table row, without a selector engine pass per row. */
function cellsOf(tr: Element): Element[] {
  return tr.children.filter((c): c is Element => c.type === 'tag' && (c.name === 'td' || c.name === 'th'));
}
