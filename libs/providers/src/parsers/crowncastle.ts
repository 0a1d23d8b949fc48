import { DomUtils } from 'htmlparser2';
import type { Document, Element } from 'domhandler';
import type { CircuitImpact, MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import { localToEpoch, resolveZone } from '../core/zones';
import type { Parser, PartialMaintenance } from '../core/types';
import { closestElement, elementsNamed, htmlDocument, textOf } from '../core/html';

// Crown Castle Fiber (fiberchangemgmt@crowncastle.com) notices: an underlined title naming
// the kind of notice, "Dear <customer>,", "<strong>Ticket Number: </strong>CM…", a
// "timezonegrid" table (start date, start time, end date, end time, zone; one row per zone,
// GMT among them), "Work Description:" followed by the description paragraph, and the
// "circuitgrid" table (Circuit ID, …, Impact, Notes).

/** The underlined title's kind of notice. */
const TITLE_STATUS: Record<string, MaintenanceStatus> = {
  'maintenance notification': 'CONFIRMED',
  'emergency notification': 'CONFIRMED',
  'maintenance notification - rescheduled event': 'RE-SCHEDULED',
  'maintenance cancellation notification': 'CANCELLED',
};
const DEAR = /^\s*Dear\s+(.+?),/;
/** "1/3/2024" + "8:00 AM". */
const GRID_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const GRID_TIME = /^(\d{1,2}):(\d{2})\s*([AP]M)?$/i;

/** Crown Castle notice body: one maintenance per notice. */
export const crowncastleHtmlParser: Parser = {
  name: 'crowncastle-html',
  dataTypes: ['html'],
  parse: (part) => {
    const doc = htmlDocument(part);
    const paragraphs = elementsNamed(doc, 'p').map((p) => ({ p, text: textOf(p) }));
    const record: PartialMaintenance = { status: statusOf(doc, paragraphs) };

    for (const { text } of paragraphs) {
      const dear = DEAR.exec(text);
      if (dear) {
        record.account = squash(dear[1]);
        break;
      }
    }
    for (const strong of elementsNamed(doc, 'strong')) {
      const label = squash(textOf(strong)).toLowerCase();
      if (label === 'ticket number:') {
        record.maintenance_id = squash(textAfter(strong)) || undefined;
      } else if ((label === 'description:' || label.startsWith('work description:')) && record.summary === undefined) {
        record.summary = descriptionAfter(strong);
      }
    }
    if (!record.maintenance_id) throw new ParserError('not a Crown Castle notice: no "Ticket Number:"');

    const window = windowOf(doc);
    if (!window) throw new ParserError(`Crown Castle notice ${record.maintenance_id}: no readable timezonegrid row`);
    record.start = window.start;
    record.end = window.end;
    record.circuits = circuitsOf(doc);
    return [record];
  },
};

/** Whitespace runs (source wrapping, &nbsp;) to one space, trimmed. */
function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** "has been completed." anywhere wins; otherwise the first underlined title says the kind of notice. */
function statusOf(doc: Document, paragraphs: { text: string }[]): MaintenanceStatus {
  if (paragraphs.some(({ text }) => text.includes('has been completed.'))) return 'COMPLETED';
  for (const u of elementsNamed(doc, 'u')) {
    const title = squash(textOf(u)).toLowerCase();
    if (!title) continue;
    return TITLE_STATUS[title] ?? 'NO-CHANGE';
  }
  return 'NO-CHANGE';
}

/** The text right after a label element, within the same paragraph (bare or wrapped in a tag). */
function textAfter(el: Element): string {
  const next = el.nextSibling;
  if (!next) return '';
  return next.type === 'text' ? next.data : textOf(next);
}

/**
 * The description: the first non-empty paragraph after the label's paragraph. Source line
 * wrapping inside it becomes a space.
 */
function descriptionAfter(label: Element): string | undefined {
  const p = closestElement(label, 'p');
  for (let sibling = p ? DomUtils.nextElementSibling(p) : null; sibling; sibling = DomUtils.nextElementSibling(sibling)) {
    const text = textOf(sibling).replace(/[ \t]*\r?\n\s*/g, ' ').trim();
    if (text) return text;
  }
  return undefined;
}

/** The timezonegrid row in GMT, else the first row whose zone (Eastern, Central, …) resolves. */
function windowOf(doc: Document): { start: number; end: number } | undefined {
  // Rows inside a grid table, in document order (the selector "table.timezonegrid tr").
  const rows = elementsNamed(doc, 'tr')
    .filter((tr) => {
      for (let n = tr.parent; n; n = n.parent) if (DomUtils.isTag(n) && n.name === 'table' && hasClass(n, 'timezonegrid')) return true;
      return false;
    })
    .map((tr) => cellsOf(tr).map((td) => squash(textOf(td))))
    .filter((cells) => cells.length === 5);
  const gmt = rows.find((cells) => resolveZone(cells[4]) === 'UTC');
  for (const cells of gmt ? [gmt, ...rows] : rows) {
    const zone = resolveZone(cells[4]);
    if (!zone) continue;
    const start = gridTime(cells[0], cells[1], zone);
    const end = gridTime(cells[2], cells[3], zone);
    if (start !== undefined && end !== undefined) return { start, end };
  }
  return undefined;
}

function gridTime(date: string, time: string, zone: string): number | undefined {
  const d = GRID_DATE.exec(date);
  const t = GRID_TIME.exec(time);
  if (!d || !t) return undefined;
  let hour = Number(t[1]);
  if (t[3]) hour = (hour % 12) + (t[3].toUpperCase() === 'PM' ? 12 : 0);
  return localToEpoch({ year: Number(d[3]), month: Number(d[1]), day: Number(d[2]), hour, minute: Number(t[2]) }, zone);
}

/** The circuitgrid rows: Impact "None" means no impact, anything else an outage. */
function circuitsOf(doc: Document): CircuitImpact[] {
  const table = elementsNamed(doc, 'table').find((t) => t.attribs.id === 'circuitgrid');
  const head = (table ? elementsNamed(table, 'th') : []).map((th) => squash(textOf(th)).toLowerCase());
  const idCol = Math.max(head.indexOf('circuit id'), 0);
  const impactCol = head.indexOf('impact');
  const circuits: CircuitImpact[] = [];
  for (const tr of table ? elementsNamed(table, 'tr') : []) {
    const cells = cellsOf(tr).filter((c) => c.name === 'td');
    if (cells.length === 0) continue;
    const circuitId = cells[idCol] ? textOf(cells[idCol]).trim() : '';
    if (!circuitId) continue;
    const impact = impactCol >= 0 && cells[impactCol] ? squash(textOf(cells[impactCol])).toLowerCase() : '';
    circuits.push({ circuit_id: circuitId, impact: impact === 'none' ? 'NO-IMPACT' : 'OUTAGE' });
  }
  return circuits;
}

/** True when the element's class attribute lists this class (case-sensitive, as CSS class selectors). */
function hasClass(el: Element, name: string): boolean {
  return (el.attribs.class ?? '').split(/\s+/).includes(name);
}

/** The td/th cells of a table row, without a selector engine pass per row. */
function cellsOf(tr: Element): Element[] {
  return tr.children.filter((c): c is Element => c.type === 'tag' && (c.name === 'td' || c.name === 'th'));
}
