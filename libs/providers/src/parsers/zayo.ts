import type { AnyNode, Document, Element } from 'domhandler';
import type { Impact, MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import { localToEpoch, resolveZone } from '../core/zones';
import type { Parser, PartialMaintenance } from '../core/types';
import { elementsNamed, htmlDocument, textOf } from '../core/html';

// Zayo ("MR Zayo <mr@zayo.com>") writes one HTML notice per ticket: bold labels
// ("Maintenance Ticket #:", "Customer:", "Reason for Maintenance:", "Date Notice Sent:")
// each followed by its value, then one "Nth Activity Date" block per maintenance night
// (the window once in the local zone and once in GMT), then a circuit table. The subject
// repeats the ticket and the customer: "<TYPE> NOTIFICATION***<customer>***ZAYO <ticket> <urgency>***".

/** "24-Oct-2021 04:01 to 24-Oct-2021 09:00 ( GMT )": one window line of an activity date. */
const WINDOW_LINE =
  /(\d{1,2}-[A-Za-z]{3}-\d{4}\s+\d{1,2}:\d{2})\s+to\s+(\d{1,2}-[A-Za-z]{3}-\d{4}\s+\d{1,2}:\d{2})\s*\(\s*([^)]*?)\s*\)/g;
/** "24-Oct-2021 04:01" or "11-Oct-2021". */
const DAY_TIME = /(\d{1,2})-([A-Za-z]{3})-(\d{4})(?:\s+(\d{1,2}):(\d{2}))?/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const SUBJECT_TICKET = /^ZAYO\s+(\S+)/i;
const ACTIVITY_LABEL = /activity date/i;
const NEXT_LABEL = /backup date|location of maintenance|reason for maintenance|circuit\(s\) affected/i;

/** One maintenance night, epoch seconds. */
interface ActivityWindow {
  start: number;
  end: number;
}

/**
 * Zayo's subject: the message type, the customer and "ZAYO <ticket>" between runs of "*".
 * The customer segment is missing in some notices ("Rescheduled Maintenance***ZAYO TTN-…***"),
 * so it is read only when a segment sits between the type and the ticket.
 */
export const zayoSubjectParser: Parser = {
  name: 'zayo-subject',
  dataTypes: ['email-header-subject'],
  parse: (part) => {
    const segments = String(part.content)
      .split(/\*+/)
      .map((s) => s.trim());
    const at = segments.findIndex((s) => SUBJECT_TICKET.test(s));
    if (at < 0) throw new ParserError('subject has no "ZAYO <ticket>" segment');
    const record: PartialMaintenance = { maintenance_id: SUBJECT_TICKET.exec(segments[at])?.[1] };
    if (at >= 2 && segments[at - 1]) record.account = segments[at - 1];
    // The message type and the ticket segment, never the customer's name.
    const status = subjectStatus(at >= 2 ? `${segments[0]} ${segments[at]}` : segments.slice(0, at + 1).join(' '));
    if (status) record.status = status;
    return [record];
  },
};

/** The message type Zayo puts in front of the subject; the body's wording wins over it. */
function subjectStatus(head: string): MaintenanceStatus | undefined {
  const h = head.toLowerCase();
  if (h.includes('cancel')) return 'CANCELLED';
  if (h.includes('reschedul')) return 'RE-SCHEDULED';
  if (h.includes('end of window') || h.includes('completed')) return 'COMPLETED';
  if (h.includes('start maintenance')) return 'IN-PROCESS';
  if (h.includes('maintenance notification')) return 'CONFIRMED';
  return undefined;
}

/**
 * Zayo notice body. Gives one record per "Activity Date" block (several nights of one
 * ticket are several maintenances), each with the ticket's common fields.
 */
export const zayoHtmlParser: Parser = {
  name: 'zayo-html',
  dataTypes: ['html'],
  parse: (part) => {
    const doc = htmlDocument(part);
    const common: PartialMaintenance = {};
    const windows: ActivityWindow[] = [];
    let status: MaintenanceStatus | undefined;

    for (const b of elementsNamed(doc, 'b')) {
      const label = squash(textOf(b)).toLowerCase();
      if (label.startsWith('maintenance ticket #:')) common.maintenance_id = valueAfter(b) || undefined;
      else if (label.startsWith('customer:')) common.account = valueAfter(b) || undefined;
      else if (label.startsWith('reason for maintenance:')) common.summary = valueAfter(b);
      else if (label.startsWith('date notice sent:')) common.stamp = noticeDate(valueAfter(b));
      else if (label.includes('activity date')) {
        const window = windowIn(activityText(b));
        if (window) windows.push(window);
      } else if (label.includes('serves as official notification')) {
        if (label.includes('will be performing maintenance')) status = 'CONFIRMED';
        else if (label.includes('has cancelled')) status = 'CANCELLED';
      }
    }
    let pageText: string | undefined;
    const text = () => (pageText = pageText ?? textOf(doc));
    if (windows.length === 0) windows.push(...windowsFromText(text()));
    if (!status) {
      const body = squash(text()).toLowerCase();
      if (body.includes('will be commencing momentarily')) status = 'IN-PROCESS';
      else if (body.includes('has been completed') || body.includes('has closed')) status = 'COMPLETED';
    }
    if (status) common.status = status;

    common.circuits = circuitTable(doc);

    if (windows.length === 0) {
      if (!common.maintenance_id) throw new ParserError('not a Zayo notice: no "Maintenance Ticket #" and no activity date');
      throw new ParserError(`Zayo notice ${common.maintenance_id}: no readable "Activity Date" window`);
    }
    return windows.map((w) => ({ ...common, start: w.start, end: w.end }));
  },
};

/** Whitespace runs (HTML source wrapping, &nbsp;) to one space, trimmed. */
function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The value written after a bold label: the following text up to the next line break or
 * bold label. Line breaks inside the value (multi-line reasons) are kept.
 */
function valueAfter(label: Element): string {
  let out = '';
  for (let node: AnyNode | null = label.nextSibling; node; node = node.nextSibling) {
    if (node.type === 'tag' && (node.name === 'br' || node.name === 'b')) {
      if (node.name === 'b' || out.trim()) break;
      continue;
    }
    out += node.type === 'text' ? node.data : node.type === 'tag' ? textOf(node) : '';
  }
  return out
    .replace(/\u00a0/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');
}

/** "11-Oct-2021" (or with a time): Zayo's notice date, read as UTC like the window times. */
function noticeDate(value: string): number | undefined {
  const m = DAY_TIME.exec(value);
  return m ? dayTimeToEpoch(m, 'UTC') : undefined;
}

/** Epoch seconds of a DAY_TIME match in a zone; UTC needs no zone lookup. */
function dayTimeToEpoch(m: RegExpExecArray, zone: string): number | undefined {
  const month = MONTHS.indexOf(m[2].toLowerCase()) + 1;
  if (month === 0) return undefined;
  const parts = { year: +m[3], month, day: +m[1], hour: m[4] ? +m[4] : 0, minute: m[5] ? +m[5] : 0 };
  if (zone === 'UTC') return Date.UTC(parts.year, month - 1, parts.day, parts.hour, parts.minute) / 1000;
  return localToEpoch(parts, zone);
}

/** The text after an "Activity Date" label up to the next bold label (its window lines). */
function activityText(label: Element): string {
  let text = '';
  for (let node: AnyNode | null = label.nextSibling; node; node = node.nextSibling) {
    if (node.type === 'tag' && node.name === 'b') break;
    text += node.type === 'text' ? node.data : node.type === 'tag' ? ` ${textOf(node)} ` : '';
  }
  return text;
}

/**
 * Activity windows from the notice's plain text, for copies whose labels and dates are no
 * longer siblings (Outlook forwards wrap every line in its own paragraph): each "Activity
 * Date" label up to the next label.
 */
function windowsFromText(text: string): ActivityWindow[] {
  const windows: ActivityWindow[] = [];
  for (const block of text.split(ACTIVITY_LABEL).slice(1)) {
    const stop = block.search(NEXT_LABEL);
    const window = windowIn(stop < 0 ? block : block.slice(0, stop));
    if (window) windows.push(window);
  }
  return windows;
}

/** The window of an activity block: its GMT line; a block with only a local line gets that zone resolved. */
function windowIn(text: string): ActivityWindow | undefined {
  const lines = [...text.matchAll(WINDOW_LINE)];
  const gmt = lines.find((m) => resolveZone(m[3]) === 'UTC');
  for (const line of gmt ? [gmt, ...lines] : lines) {
    const zone = resolveZone(line[3]);
    const start = zone && DAY_TIME.exec(line[1]);
    const end = zone && DAY_TIME.exec(line[2]);
    if (!zone || !start || !end) continue;
    const window = { start: dayTimeToEpoch(start, zone), end: dayTimeToEpoch(end, zone) };
    if (window.start !== undefined && window.end !== undefined) return { start: window.start, end: window.end };
  }
  return undefined;
}

/** The "Circuit(s) Affected" table, found by its "Circuit Id" and "Expected Impact" headers. */
function circuitTable(doc: Document): { circuit_id: string; impact: Impact }[] {
  const circuits: { circuit_id: string; impact: Impact }[] = [];
  // Most tables of a notice are nested layout: only the tables around a "Circuit Id" header
  // cell can be the circuit table, so the others are not searched for headers one by one.
  const candidates = new Set<AnyNode>();
  for (const th of elementsNamed(doc, 'th')) {
    if (squash(textOf(th)).toLowerCase() !== 'circuit id') continue;
    for (let n: AnyNode | null = th.parent; n; n = n.parent) if (n.type === 'tag' && n.name === 'table') candidates.add(n);
  }
  for (const table of elementsNamed(doc, 'table')) {
    if (!candidates.has(table)) continue;
    const headers = elementsNamed(table, 'th').map((th) => squash(textOf(th)).toLowerCase());
    const idCol = headers.indexOf('circuit id');
    const impactCol = headers.indexOf('expected impact');
    if (idCol < 0 || impactCol < 0) continue;
    for (const row of elementsNamed(table, 'tr')) {
      const cells = cellsOf(row).filter((c) => c.name === 'td');
      if (cells.length <= Math.max(idCol, impactCol)) continue;
      const circuitId = textOf(cells[idCol]).trim();
      if (!circuitId) continue;
      circuits.push({ circuit_id: circuitId, impact: zayoImpact(textOf(cells[impactCol])) });
    }
  }
  return circuits;
}

/** Zayo writes "Hard Down - up to 5 hours" or "No Expected Impact"; anything else counts as an outage. */
function zayoImpact(text: string): Impact {
  const t = text.toLowerCase();
  if (t.includes('no expected impact') || t.includes('no impact')) return 'NO-IMPACT';
  return 'OUTAGE';
}

/** The td/th cells of a table row, without a selector engine pass per row. */
function cellsOf(tr: Element): Element[] {
  return tr.children.filter((c): c is Element => c.type === 'tag' && (c.name === 'td' || c.name === 'th'));
}
