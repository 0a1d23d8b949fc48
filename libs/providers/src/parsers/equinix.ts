import type { AnyNode, Document, Element } from 'domhandler';
import type { Impact, MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import type { Parser, PartialMaintenance } from '../core/types';
import { splitLabel } from './common';
import { childElements, closestElement, elementsNamed, htmlDocument, textOf } from '../core/html';

// Equinix notices (ServiceNow / Marketo templates) are "LABEL: value" lines whose label is a
// <b> or <strong>: DATE, SPAN (the local date range, with years), LOCAL and UTC (the window as
// "FRIDAY, 02 JUL 10:00 - FRIDAY, 02 JUL 15:00", without year), IMPACT, ... Localised notices
// repeat the block in the local language first and in English last, so the last readable
// occurrence of a label wins. Circuits are in "Account # | Product | [IBX] | Service Serial #"
// tables, one per product. Ticket id, status and summary come from the subject.

/** Label texts ("SPAN: 02-JUL-2021 - 03-JUL-2021" or "UTC:") of the notice. */
const LABEL = /^[A-Za-z][A-Za-z ()#/]*$/;
/** "02 JUL 10:00" in the UTC line (the weekday before it may be localised). */
const DAY_MONTH_TIME = /(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{1,2}):(\d{2})/g;
/** "02-JUL-2021" in the SPAN / DATE lines. */
const SPAN_DATE = /(\d{1,2})-([A-Za-z]{3})-(\d{4})/g;
/** "Please reference CHG0031000." closes every notice body. */
const BODY_REFERENCE = /Please reference\s+\[?([A-Z0-9][\w.-]*[A-Z0-9])\]?/i;
/** Ticket id at the end of the subject: "[5-212760022356]" or "- CHG0125903". */
const SUBJECT_ID = /(?:\[([^[\]]+)\]|\s-\s*([A-Z]*\d[\w-]*))\s*$/i;
const DATE_LIKE = /^\d{1,2}-[A-Z]{3}-\d{4}$/i;

type Labels = Map<string, string[]>;

/** Equinix notice body: window (UTC line + SPAN years), impact, circuit tables. */
export const equinixHtmlParser: Parser = {
  name: 'equinix-html',
  dataTypes: ['html'],
  parse: (part) => {
    const doc = htmlDocument(part);
    const labels = readLabels(doc);
    const span = spanDates(labels);
    if (!span) throw new ParserError('no SPAN / DATE line with the maintenance dates');
    const window = utcWindow(labels, span);
    if (!window) throw new ParserError('no readable UTC window line');
    const impact = impactOf(labels);
    const { account, circuits } = readCircuitTables(doc, impact);
    const record: PartialMaintenance = { ...window, circuits };
    if (account) record.account = account;
    const reference = BODY_REFERENCE.exec(textOf(doc));
    if (reference) record.maintenance_id = reference[1];
    return [record];
  },
};

/** Equinix subject: ticket id at its end, status from its wording, the subject as summary. */
export const equinixSubjectParser: Parser = {
  name: 'equinix-subject',
  dataTypes: ['email-header-subject'],
  parse: (part) => {
    const subject = String(part.content).replace(/[\r\n]+/g, '').trim();
    const record: PartialMaintenance = { summary: subject, status: subjectStatus(subject) };
    const id = SUBJECT_ID.exec(subject);
    const ticket = id?.[1] ?? id?.[2];
    if (ticket && !DATE_LIKE.test(ticket.trim())) record.maintenance_id = ticket.trim();
    return [record];
  },
};

function subjectStatus(subject: string): MaintenanceStatus {
  const s = subject.toLowerCase();
  if (s.includes('cancel')) return 'CANCELLED';
  if (s.includes('completed')) return 'COMPLETED';
  if (s.includes('rescheduled')) return 'RE-SCHEDULED';
  // "Scheduled ...", "REMINDER - ..." and notices without a status word are announcements.
  return 'CONFIRMED';
}

/** Every bold label with its value: the rest of the bold text, or what follows up to the next line break. */
function readLabels(doc: Document): Labels {
  const labels: Labels = new Map();
  for (const el of elementsNamed(doc, 'b', 'strong')) {
    const text = textOf(el).replace(/\s+/g, ' ').trim();
    const m = splitLabel(text, LABEL);
    if (!m) continue;
    const key = m.label.trim().toUpperCase();
    const value = (m.value || valueAfter(el)).replace(/\s+/g, ' ').trim();
    if (!value) continue;
    const list = labels.get(key);
    if (list) list.push(value);
    else labels.set(key, [value]);
  }
  return labels;
}

/** Text after a label element up to the next <br>, block or label (at most a few hundred characters). */
function valueAfter(el: Element): string {
  let out = '';
  for (let node: AnyNode | null = el.nextSibling; node && out.length < 500; node = node.nextSibling) {
    if (node.type === 'text') {
      out += node.data;
      continue;
    }
    if (node.type !== 'tag') continue;
    const name = node.name.toLowerCase();
    if (name === 'br' || name === 'b' || name === 'strong' || name === 'p' || name === 'div' || name === 'table') break;
    out += textOf(node);
  }
  return out;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Epoch milliseconds of an English "02 JUL 2021 10:00" in UTC; undefined for a month name or
 * a day/time that does not exist. Plain Date.UTC: luxon's fromFormat was most of this
 * parser's date cost, three candidate years per time.
 */
function utcMillis(day: string, month: string, year: number, hour = '0', minute = '0'): number | undefined {
  const mon = MONTHS.indexOf(month.toLowerCase());
  const d = +day;
  const h = +hour;
  const min = +minute;
  if (mon < 0 || h > 23 || min > 59) return undefined;
  const ms = Date.UTC(year, mon, d, h, min);
  return new Date(ms).getUTCDate() === d ? ms : undefined;
}

/** A UTC instant with its year, for the nearest-year choice. */
interface Instant {
  ms: number;
  year: number;
}

/** First and last date of the SPAN line (English label last, so the last readable one). */
function spanDates(labels: Labels): { first: Instant; last: Instant } | undefined {
  const candidates = [...(labels.get('SPAN') ?? []), ...(labels.get('DATE') ?? [])].reverse();
  for (const value of candidates) {
    const dates: Instant[] = [];
    for (const m of value.matchAll(SPAN_DATE)) {
      const ms = utcMillis(m[1], m[2], +m[3]);
      if (ms !== undefined) dates.push({ ms, year: +m[3] });
    }
    if (dates.length > 0) return { first: dates[0], last: dates[dates.length - 1] };
  }
  return undefined;
}

/** The UTC line's start and end; their years are the ones that put them nearest the SPAN dates. */
function utcWindow(labels: Labels, span: { first: Instant; last: Instant }): { start: number; end: number } | undefined {
  for (const value of [...(labels.get('UTC') ?? [])].reverse()) {
    const times = [...value.matchAll(DAY_MONTH_TIME)];
    if (times.length < 2) continue;
    const start = nearestYear(times[0], span.first);
    const end = nearestYear(times[times.length - 1], span.last);
    if (start !== undefined && end !== undefined) return { start: Math.floor(start / 1000), end: Math.floor(end / 1000) };
  }
  return undefined;
}

function nearestYear(m: RegExpMatchArray, anchor: Instant): number | undefined {
  let best: number | undefined;
  for (const year of [anchor.year - 1, anchor.year, anchor.year + 1]) {
    const ms = utcMillis(m[1], m[2], year, m[3], m[4]);
    if (ms === undefined) continue;
    if (best === undefined || Math.abs(ms - anchor.ms) < Math.abs(best - anchor.ms)) best = ms;
  }
  return best;
}

/** One impact for every circuit of the notice, from the IMPACT line's wording. */
function impactOf(labels: Labels): Impact {
  for (const value of [...(labels.get('IMPACT') ?? [])].reverse()) {
    const v = value.toLowerCase();
    if (v.includes('no impact')) return 'NO-IMPACT';
    if (v.includes('redundancy') || v.includes('re-routed') || v.includes('rerouted')) return 'REDUCED-REDUNDANCY';
    if (v.includes('interruption') || v.includes('outage') || v.includes('downtime')) return 'OUTAGE';
  }
  return 'OUTAGE';
}

/** Rows of every table headed "Account #": the account and the service serial of each. */
function readCircuitTables(doc: Document, impact: Impact): { account?: string; circuits: { circuit_id: string; impact: Impact }[] } {
  const circuits: { circuit_id: string; impact: Impact }[] = [];
  let account: string | undefined;
  const seen = new Set<AnyNode>();
  const cellText = (c: Element) => textOf(c).replace(/\s+/g, ' ').trim();
  for (const th of elementsNamed(doc, 'th')) {
    if (!/^account\s*#?$/i.test(textOf(th).trim())) continue;
    const table = closestElement(th, 'table');
    if (!table || seen.has(table)) continue;
    seen.add(table);
    const rows = elementsNamed(table, 'tr').filter((tr) => closestElement(tr, 'table') === table);
    const headers = rows.length > 0 ? childElements(rows[0], 'th', 'td').map((c) => cellText(c).toLowerCase()) : [];
    const accountCol = headers.findIndex((h) => h.startsWith('account'));
    let serialCol = headers.findIndex((h) => h.includes('serial'));
    if (serialCol < 0) serialCol = headers.length >= 4 ? 3 : headers.length - 1;
    for (const tr of rows.slice(1)) {
      const cells = childElements(tr, 'td').map(cellText);
      if (cells.length === 0) continue;
      const circuit = cells[serialCol];
      if (circuit) circuits.push({ circuit_id: circuit, impact });
      if (cells[accountCol]) account = cells[accountCol];
    }
  }
  return { account, circuits };
}
