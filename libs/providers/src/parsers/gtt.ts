import type { AnyNode, Document, Element } from 'domhandler';
import type { Impact, MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import type { Parser, PartialMaintenance } from '../core/types';
import { localToEpoch, resolveZone } from '../core/zones';
import { elementsNamed, htmlDocument, textOf } from '../core/html';

// GTT / EXA "Planned Work Notification" mails: a title cell "Planned Work Notification:
// <ticket> - <state>", a two-column details table (Start / End / Location) and a services
// table with a header row (Services Affected | SLID/CCSD | Customer PON | ... | Expected Impact).

const TITLE = /Work Notification:\s*([A-Za-z0-9][\w-]*)\s*-\s*([A-Za-z]+)/i;
/** "2021-08-13 18:00:00 GMT", "2021-12-08 03:00 GMT": seconds optional, zone defaults to UTC. */
const TIMESTAMP = /(\d{4})-(\d{1,2})-(\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?/;

/** The notice state after the ticket number, as GTT words it (a new notice is a scheduled work). */
const STATES: Record<string, MaintenanceStatus> = {
  new: 'CONFIRMED',
  reminder: 'CONFIRMED',
  update: 'RE-SCHEDULED',
  rescheduled: 'RE-SCHEDULED',
  reschedule: 'RE-SCHEDULED',
  cancelled: 'CANCELLED',
  canceled: 'CANCELLED',
  completed: 'COMPLETED',
};

const text = (el: Element): string => textOf(el).replace(/\s+/g, ' ').trim();

/** Child elements with a tag name: plain DOM, so no selector is compiled per row. */
const childTags = (el: Element, name: string): Element[] =>
  el.children.filter((c): c is Element => c.type === 'tag' && c.name === name);

/** The table a row belongs to (its nearest <table> ancestor). */
function tableOf(row: Element): Element | undefined {
  for (let p = row.parent; p; p = p.parent) if (p.type === 'tag' && p.name === 'table') return p;
  return undefined;
}

const STRUCK = new Set(['strike', 's', 'del']);

/** The text of an element without its struck-through parts. */
function unstruckText(el: AnyNode): string {
  if (el.type === 'text') return el.data;
  if (el.type !== 'tag' || STRUCK.has(el.name)) return '';
  return el.children.map(unstruckText).join('');
}

/** The ticket id and status from the "... Work Notification: <id> - <state>" title cell. */
function readTitle(doc: Document): { maintenance_id: string; status: MaintenanceStatus } {
  for (const td of elementsNamed(doc, 'td')) {
    const match = TITLE.exec(text(td));
    if (!match) continue;
    const status = STATES[match[2].toLowerCase()];
    if (!status) throw new ParserError(`unknown GTT notice state "${match[2]}"`);
    return { maintenance_id: match[1], status };
  }
  throw new ParserError('no "Work Notification: <ticket> - <state>" title');
}

/**
 * A Start / End cell. A rescheduled notice strikes the old time through and puts the new
 * one beside it, so struck-out text is dropped before reading.
 */
function readTime(cell: Element, label: string): number {
  const value = unstruckText(cell).replace(/\s+/g, ' ').trim();
  const m = TIMESTAMP.exec(value);
  if (!m) throw new ParserError(`unreadable ${label} time "${value}"`);
  const zone = resolveZone(m[7] ?? 'UTC');
  if (!zone) throw new ParserError(`unknown time zone "${m[7]}" in ${label} time`);
  // localToEpoch: plain arithmetic for UTC, luxon only for a named zone.
  try {
    return localToEpoch({ year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +(m[6] ?? 0) }, zone);
  } catch (err) {
    throw new ParserError(`invalid ${label} time "${value}"`, { cause: err });
  }
}

const impactOf = (expected: string): Impact => (/\bno(?:n-| )?impact\b/i.test(expected) ? 'NO-IMPACT' : 'OUTAGE');

/** Column positions of the services table, from its header row. */
interface ServiceColumns {
  table: Element | undefined;
  circuit: number;
  account: number;
  impact: number;
}

/**
 * One pass over the table rows: Start / End rows of the details table (label cell, value
 * cell), and the services table: circuits from the SLID/CCSD column, the account from the
 * Customer PON column.
 */
function readTables(doc: Document): Pick<PartialMaintenance, 'start' | 'end' | 'account' | 'circuits'> {
  const found: Pick<PartialMaintenance, 'start' | 'end' | 'account' | 'circuits'> = {};
  let services: ServiceColumns | undefined;
  for (const row of elementsNamed(doc, 'tr')) {
    const headers = childTags(row, 'th').map((th) => text(th).toLowerCase());
    if (headers.length > 0) {
      const circuit = headers.findIndex((h) => /slid|ccsd/.test(h));
      if (circuit >= 0) {
        services = {
          table: tableOf(row),
          circuit,
          account: headers.findIndex((h) => /customer pon|\bpon\b/.test(h)),
          impact: headers.findIndex((h) => h.includes('impact')),
        };
        found.circuits ??= [];
      }
      continue;
    }
    const cells = childTags(row, 'td');
    if (services && services.table === tableOf(row) && cells.length > services.circuit) {
      const circuitId = text(cells[services.circuit]);
      if (!circuitId) continue;
      const impact = cells[services.impact] ? impactOf(text(cells[services.impact])) : 'OUTAGE';
      found.circuits?.push({ circuit_id: circuitId, impact });
      if (!found.account && cells[services.account]) found.account = text(cells[services.account]) || undefined;
    } else if (cells.length >= 2) {
      const label = text(cells[0]).toLowerCase();
      if (label === 'start') found.start = readTime(cells[1], 'Start');
      else if (label === 'end') found.end = readTime(cells[1], 'End');
    }
  }
  return found;
}

/** GTT / EXA planned / emergency work notice (HTML body): one maintenance. */
export const gttHtmlParser: Parser = {
  name: 'gtt-html',
  dataTypes: ['html'],
  parse: (part) => {
    const doc = htmlDocument(part);
    const { maintenance_id, status } = readTitle(doc);
    const { circuits, account, start, end } = readTables(doc);
    const record: PartialMaintenance = { maintenance_id, status, start, end };
    if (start === undefined || end === undefined) {
      // A cancellation carries no window; the reference library stamps it 0 -> 1.
      if (status !== 'CANCELLED') throw new ParserError('no Start / End in the details table');
      record.start = start ?? 0;
      record.end = end ?? record.start + 1;
    }
    if (!circuits) throw new ParserError('no services table with a SLID/CCSD column');
    record.circuits = circuits;
    if (account) record.account = account;
    return [record];
  },
};
