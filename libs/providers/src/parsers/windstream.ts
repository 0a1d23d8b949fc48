import { DomUtils } from 'htmlparser2';
import type { Document, Element } from 'domhandler';
import type { CircuitImpact, Impact, MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import { localToEpoch } from '../core/zones';
import type { Parser, PartialMaintenance } from '../core/types';
import { closestElement, elementsNamed, htmlDocument, textOf } from '../core/html';

// Windstream (wci.maintenance.notifications@windstream.com) notices: an <h1> naming the kind
// of notice ("Planned Maintenance Notification", "Completed …", "Cancelled …"), a summary
// div whose first paragraph (before "DESCRIPTION OF MAINTENANCE") is the summary, label/value
// rows ("WMT:", "Event Start Date & Time:" with "03/20/24 02:00 ET"), an impact table
// ("Impact Type:" rows such as "Outage") and the circuit table (class circuitTable).

/** "03/20/24 02:00 ET" or "3/20/2024 2:00 AM Eastern". */
const EVENT_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})(?:\s*([AP]M))?\s+(.+)$/i;

/** The <h1> title's kind of notice. */
const TITLE_STATUS: [RegExp, MaintenanceStatus][] = [
  [/completed maintenance/i, 'COMPLETED'],
  [/(?:cancell?ed|postponed) maintenance/i, 'CANCELLED'],
  [/updated maintenance/i, 'RE-SCHEDULED'],
  [/(?:planned|demand|emergency) maintenance/i, 'CONFIRMED'],
];

/** Windstream notice body: one maintenance per notice (one WMT ticket, one event window). */
export const windstreamHtmlParser: Parser = {
  name: 'windstream-html',
  dataTypes: ['html'],
  parse: (part) => {
    const doc = htmlDocument(part);
    const h1 = elementsNamed(doc, 'h1')[0] as Element | undefined;
    const title = h1 ? squash(textOf(h1)) : '';
    // Every cell's text once: the label lookups below scan them several times.
    const cells = elementsNamed(doc, 'td').map((td) => ({ td, label: squash(textOf(td)).toLowerCase() }));
    const ticket = labelValue(cells, 'WMT:');
    if (!title || !ticket) throw new ParserError('not a Windstream notice: no <h1> title or no "WMT:" ticket');

    const status = TITLE_STATUS.find(([re]) => re.test(title))?.[1];
    if (!status) throw new ParserError(`Windstream notice ${ticket}: unknown notice kind "${title}"`);
    const startText = labelValue(cells, 'Event Start Date & Time:');
    const endText = labelValue(cells, 'Event End Date & Time:');
    if (!startText || !endText) throw new ParserError(`Windstream notice ${ticket}: no event start/end time`);

    const record: PartialMaintenance = {
      maintenance_id: ticket,
      status,
      start: eventTime(startText),
      end: eventTime(endText),
      summary: summaryOf(h1),
    };
    const { account, circuits } = circuitTable(doc, impactOf(cells));
    if (account) record.account = account;
    record.circuits = circuits;
    return [record];
  },
};

/** Whitespace runs to one space, trimmed. */
function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The cell after the label cell (a label/value table row). */
function labelValue(cells: LabelledCell[], label: string): string | undefined {
  const want = label.toLowerCase();
  for (const { td, label: text } of cells) {
    if (text !== want) continue;
    const next = DomUtils.nextElementSibling(td);
    const value = next && next.name === 'td' ? squash(textOf(next)) : '';
    if (value) return value;
  }
  return undefined;
}

/** A table cell with its text, whitespace squashed and lower-cased. */
interface LabelledCell {
  td: Element;
  label: string;
}

/** "03/20/24 02:00 ET" in the zone it names. */
function eventTime(text: string): number {
  const m = EVENT_TIME.exec(text);
  if (!m) throw new ParserError(`unreadable event time "${text}"`);
  let hour = Number(m[4]);
  if (m[6]) hour = (hour % 12) + (m[6].toUpperCase() === 'PM' ? 12 : 0);
  const year = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  try {
    return localToEpoch({ year, month: Number(m[1]), day: Number(m[2]), hour, minute: Number(m[5]) }, m[7].trim());
  } catch (err) {
    throw new ParserError(`event time "${text}": ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The summary paragraph: the text of the summary div before its first sub-heading
 * ("DESCRIPTION OF MAINTENANCE"), line breaks kept.
 */
function summaryOf(h1: Element | undefined): string {
  let div: Element | null = h1 ? DomUtils.nextElementSibling(h1) : null;
  while (div && div.name !== 'div') div = DomUtils.nextElementSibling(div);
  const lines: string[] = [];
  let line = '';
  for (const node of div ? div.children : []) {
    if (node.type === 'tag' && /^h\d$/.test(node.name)) break;
    if (node.type === 'tag' && node.name === 'br') {
      lines.push(line);
      line = '';
    } else line += node.type === 'text' ? node.data : node.type === 'tag' ? textOf(node) : '';
  }
  lines.push(line);
  return lines.map(squash).filter(Boolean).join('\n');
}

/** The "Impact Type:" table: an "Outage" row means an outage, otherwise no impact is announced. */
function impactOf(cells: LabelledCell[]): Impact {
  for (const { td, label } of cells) {
    if (label !== 'impact type:') continue;
    const rows: Element[] = [];
    const row = td.parent ? closestElement(td.parent, 'tr') : undefined;
    for (let next = row ? DomUtils.nextElementSibling(row) : null; next; next = DomUtils.nextElementSibling(next)) {
      if (next.name === 'tr') rows.push(next);
    }
    if (rows.some((tr) => /outage/i.test(squash(textOf(cellsOf(tr).slice(0, 1)))))) return 'OUTAGE';
  }
  return 'NO-IMPACT';
}

/** The circuit table: columns by header name (Name, Circuit ID); account is the customer's name. */
function circuitTable(doc: Document, impact: Impact): { account?: string; circuits: CircuitImpact[] } {
  const table = elementsNamed(doc, 'table').find((t) => (t.attribs.class ?? '').split(/\s+/).includes('circuitTable'));
  const circuits: CircuitImpact[] = [];
  let account: string | undefined;
  let nameCol = -1;
  let idCol = -1;
  for (const tr of table ? elementsNamed(table, 'tr') : []) {
    const cells = cellsOf(tr).map((td) => textOf(td).trim());
    if (idCol < 0) {
      const head = cells.map((c) => squash(c).toLowerCase());
      idCol = head.indexOf('circuit id');
      nameCol = head.indexOf('name');
      continue;
    }
    const circuitId = cells[idCol];
    if (!circuitId) continue;
    if (!account && nameCol >= 0 && cells[nameCol]) account = cells[nameCol];
    circuits.push({ circuit_id: circuitId, impact });
  }
  return { account, circuits };
}

/** The td/th cells of a table row, without a selector engine pass per row. */
function cellsOf(tr: Element): Element[] {
  return tr.children.filter((c): c is Element => c.type === 'tag' && (c.name === 'td' || c.name === 'th'));
}
