import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { CircuitImpact, MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import type { Parser, PartialMaintenance } from '../core/types';
import { resolveZone, fromFormat } from '../core/zones';
import { htmlCheerio } from '../core/html';

// Telstra sends two HTML layouts:
// - the Telstra Global table: a headline ("Planned Maintenance has been scheduled ...") and
//   rows of <th>Label:</th><td>value</td> (To:, Change Reference:, Maintenance Window:,
//   Maintenance Details:, Service(s) Impacted:);
// - the newer Telstra Connect mail: a heading span ("... maintenance to our network
//   infrastructure"), "Attention <customer>" and paragraphs <strong>Label</strong><br>value
//   (Reference number, Start time, End time, Service/s under maintenance, Maintenance details).

/** "01-Jun-2021 15:59:00(UTC)" (table layout) or "11 Oct 2022 15:00:00 (UTC)" (Connect layout). */
const TIMESTAMP = /(\d{1,2})[-\s]([A-Za-z]{3})[A-Za-z]*[-\s](\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:\(([^)]+)\))?/g;

/** Headline phrases of the table layout, most specific first. */
const TABLE_STATES: [RegExp, MaintenanceStatus][] = [
  [/has been completed/i, 'COMPLETED'],
  [/has been amended|has been rescheduled/i, 'RE-SCHEDULED'],
  [/has been withdrawn|has been cancell?ed/i, 'CANCELLED'],
  [/reminder notification|maintenance has been scheduled/i, 'CONFIRMED'],
];

/** Heading phrases of the Connect layout, most specific first. */
const CONNECT_STATES: [RegExp, MaintenanceStatus][] = [
  [/has been completed successfully/i, 'COMPLETED'],
  [/has been rescheduled/i, 'RE-SCHEDULED'],
  [/did not proceed|has been withdrawn|has been cancell?ed|was unsuccessful/i, 'CANCELLED'],
  [/maintenance to our network infrastructure|soon be doing some network maintenance/i, 'CONFIRMED'],
];

/** Labels that identify each layout (either one is enough, so a missing field is reported as such). */
const TABLE_LABELS = new Set(['change reference:', 'maintenance window:', 'service(s) impacted:']);
const CONNECT_LABELS = new Set(['reference number', 'start time', 'service/s under maintenance']);

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Every timestamp in a value, as epoch seconds (zone in parentheses, UTC when absent). */
function readTimes(value: string, label: string): number[] {
  const times: number[] = [];
  for (const m of value.matchAll(TIMESTAMP)) {
    const zone = resolveZone(m[7] ?? 'UTC');
    if (!zone) throw new ParserError(`unknown time zone "${m[7]}" in ${label}`);
    const dt = fromFormat(`${m[1]} ${m[2]} ${m[3]} ${m[4]}:${m[5]}:${m[6] ?? '00'}`, 'd LLL yyyy H:mm:ss', {
      zone,
      locale: 'en-US',
    });
    if (!dt.isValid) throw new ParserError(`invalid ${label} "${squash(value)}"`);
    times.push(Math.floor(dt.toSeconds()));
  }
  return times;
}

const isTag = (node: AnyNode | null, name?: string): node is Element =>
  !!node && node.type === 'tag' && (name === undefined || node.name === name);

/** Whether an element holds a descendant with that tag name (plain DOM: no selector per cell). */
const containsTag = (el: Element, name: string): boolean =>
  el.children.some((c) => isTag(c) && (c.name === name || containsTag(c, name)));

/** The element siblings after an element, in order. */
function nextTags(el: Element, name: string): Element[] {
  const found: Element[] = [];
  for (let n = el.next; n; n = n.next) if (isTag(n, name)) found.push(n);
  return found;
}

/** The text of a node with <br> as a line break, leaving out the elements named `skip`. */
function textOf(node: AnyNode, skip?: string): string {
  if (node.type === 'text') return node.data;
  if (!isTag(node) || node.name === skip) return '';
  if (node.name === 'br') return '\n';
  return node.children.map((c) => textOf(c, skip)).join('');
}

/** Circuit ids of a value: one per line or comma-separated, the label left out. */
function readCircuits(holder: Element): CircuitImpact[] {
  return textOf(holder, 'strong')
    .split(/[,\n]/)
    .map(squash)
    .filter(Boolean)
    .map((circuit_id) => ({ circuit_id, impact: 'OUTAGE' }));
}

/** The first status phrase met, in document order of the texts given. */
function findStatus(texts: string[], states: [RegExp, MaintenanceStatus][]): MaintenanceStatus | undefined {
  for (const t of texts) {
    for (const [re, status] of states) if (re.test(t)) return status;
  }
  return undefined;
}

/** The Telstra Global table layout. */
function parseTableLayout($: CheerioAPI): PartialMaintenance {
  const record: PartialMaintenance = {};
  // Leaf cells only: an outer layout cell holds the whole mail, details included.
  const leafCells = $('td')
    .toArray()
    .filter((td) => !containsTag(td, 'td'))
    .map((td) => $(td).text());
  record.status = findStatus(leafCells, TABLE_STATES);
  if (!record.status) throw new ParserError('no maintenance state in the headline');

  for (const th of $('th').toArray()) {
    const label = squash($(th).text()).toLowerCase();
    const valueCell = nextTags(th, 'td')[0];
    const value = valueCell ? squash($(valueCell).text()) : '';
    if (label === 'to:') record.account = value || undefined;
    else if (label === 'change reference:') record.maintenance_id = value || undefined;
    else if (label === 'maintenance window:') {
      const [start, end] = readTimes(value, 'Maintenance Window');
      if (start === undefined || end === undefined) throw new ParserError(`unreadable Maintenance Window "${value}"`);
      record.start = start;
      record.end = end;
    } else if (label === 'service(s) impacted:' && valueCell) {
      record.circuits = readCircuits(valueCell);
    } else if (label === 'maintenance details:') {
      record.summary = tableDetails($, th);
    }
  }
  if (!record.maintenance_id) throw new ParserError('no Change Reference');
  return record;
}

/** The rows after "Maintenance Details:" up to the next labelled row, one sentence each. */
function tableDetails($: CheerioAPI, th: Element): string {
  const sentences: string[] = [];
  const row = th.parent;
  if (!isTag(row, 'tr')) return '';
  for (const next of nextTags(row, 'tr')) {
    if (next.children.some((c) => isTag(c, 'th'))) break;
    const sentence = $(next).text().replace(/\u00a0/g, ' ').trim();
    if (sentence && !sentences.includes(sentence)) sentences.push(sentence);
  }
  return sentences.join('. ');
}

/** The Telstra Connect layout. */
function parseConnectLayout($: CheerioAPI): PartialMaintenance {
  const record: PartialMaintenance = {};
  const spans = $('span')
    .toArray()
    .map((s) => $(s).text());
  record.status = findStatus(spans, CONNECT_STATES);
  if (!record.status) throw new ParserError('no maintenance state in the heading');

  for (const p of $('p').toArray()) {
    // Collapsed first: "\s*$" after a lazy group is quadratic over a long run of blanks.
    const attention = /^Attention (.+)$/i.exec(squash($(p).text()));
    if (attention && !containsTag(p, 'strong')) {
      record.account = attention[1];
      break;
    }
  }

  for (const strong of $('strong').toArray()) {
    const label = squash($(strong).text()).toLowerCase();
    const holder = strong.parent;
    if (!isTag(holder)) continue;
    const value = (): string => squash(textOf(holder, 'strong'));
    if (label === 'reference number') record.maintenance_id = value() || undefined;
    else if (label === 'start time') record.start = readTimes(value(), 'Start time')[0];
    else if (label === 'end time') record.end = readTimes(value(), 'End time')[0];
    else if (label === 'service/s under maintenance') record.circuits = readCircuits(holder);
    else if (label === 'maintenance details') {
      const sentences: string[] = [];
      for (const next of nextTags(holder, 'p')) {
        if (containsTag(next, 'strong')) break;
        const sentence = squash($(next).text());
        if (sentence && !sentences.includes(sentence)) sentences.push(sentence);
      }
      record.summary = sentences.join('. ');
    }
  }
  if (!record.maintenance_id) throw new ParserError('no Reference number');
  if (record.start === undefined || record.end === undefined) throw new ParserError('no readable Start time / End time');
  return record;
}

/** Telstra notice body, either layout: one maintenance. */
export const telstraHtmlParser: Parser = {
  name: 'telstra-html',
  dataTypes: ['html'],
  parse: (part) => {
    const $ = htmlCheerio(part);
    const labels = (selector: string): string[] =>
      $(selector)
        .toArray()
        .map((el) => squash($(el).text()).toLowerCase());
    if (labels('th').some((l) => TABLE_LABELS.has(l))) return [parseTableLayout($)];
    if (labels('strong').some((l) => CONNECT_LABELS.has(l))) return [parseConnectLayout($)];
    throw new ParserError('not a Telstra notice: no "Change Reference:" / "Maintenance Window:" rows, no "Reference number" / "Start time" fields');
  },
};
