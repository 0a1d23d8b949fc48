import { DateTime } from 'luxon';
import type { CircuitImpact } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import type { Parser, PartialMaintenance } from '../core/types';
import { resolveZone } from '../core/zones';
import { childElements, elementsNamed, htmlDocument, textOf, textWithBreaks } from '../core/html';

/** Elements that end a line of the circuits cell; nothing is left out of its text. */
const CIRCUIT_BLOCKS = new Set(['tr', 'p', 'div']);
const NOTHING = new Set<string>();

// Sparkle (TI Sparkle) notices are one label | value table:
//   Sparkle Ticket Number               1111111 / 22222 / 33333
//   Start Date/Time (UTC) Day 1         08/10/2021 03:00 UTC
//   End Date/Time (UTC) Day 1           08/10/2021 11:00 UTC
//   Start Date/Time (UTC) Day 2 ...     (one start/end pair per ticket, in ticket order)
//   Circuits Involved in the Activity   CIR0000000000001 (one per line or nested row)
//   Description of Work                 ...
// Each ticket is one maintenance with its own window. The notice names no account.
const ACCOUNT_PLACEHOLDER = 'Not Available';

const LABEL = {
  tickets: /sparkle ticket number/i,
  start: /^start date\/time/i,
  end: /^end date\/time/i,
  circuits: /circuits involved/i,
  summary: /description of work/i,
};
/** US-style "08/10/2021 03:00 UTC" (month first; the zone may be left to the label). */
const TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(.*)$/;
const LABEL_ZONE = /\(([^)]+)\)/;
/** Circuits are listed one per line (or nested row), sometimes comma-separated. */
const CIRCUIT_SEPARATOR = /[\n,;]/;
const clean = (text: string): string => text.replace(/\s+/g, ' ').trim();

function timeEpoch(text: string, fallbackZone: string): number {
  const m = TIME.exec(text);
  if (!m) throw new ParserError(`unreadable Sparkle time "${text}"`);
  const zone = m[7] ? resolveZone(m[7]) : fallbackZone;
  if (!zone) throw new ParserError(`unknown time zone in "${text}"`);
  // Month first, as Sparkle's Americas NOC writes; a first field over 12 can only be a day.
  const [first, second] = [Number(m[1]), Number(m[2])];
  const [month, day] = first > 12 ? [second, first] : [first, second];
  const dt = DateTime.fromObject(
    { year: Number(m[3]), month, day, hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? 0) },
    { zone },
  );
  if (!dt.isValid) throw new ParserError(`invalid Sparkle time "${text}": ${dt.invalidExplanation}`);
  return Math.floor(dt.toSeconds());
}

/** The zone a "Start Date/Time (UTC) ..." label names, for values written without one. */
const labelZone = (label: string): string => resolveZone(LABEL_ZONE.exec(label)?.[1]) ?? 'UTC';

/** Sparkle notice body (HTML): one record per ticket number, each with its own window. */
export const sparkleHtmlParser: Parser = {
  name: 'sparkle-html',
  dataTypes: ['html'],
  parse: (part) => {
    const doc = htmlDocument(part);
    let tickets: string[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    let circuits: CircuitImpact[] = [];
    let summary: string | undefined;

    for (const tr of elementsNamed(doc, 'tr')) {
      const cells = childElements(tr, 'td', 'th');
      if (cells.length < 2) continue;
      const label = clean(textOf(cells[0]));
      const value = cells[1];
      if (LABEL.tickets.test(label)) {
        tickets = clean(textOf(value))
          .split('/')
          .map((t) => t.trim())
          .filter(Boolean);
      } else if (LABEL.start.test(label)) starts.push(timeEpoch(clean(textOf(value)), labelZone(label)));
      else if (LABEL.end.test(label)) ends.push(timeEpoch(clean(textOf(value)), labelZone(label)));
      else if (LABEL.circuits.test(label)) {
        // <br> and nested rows / paragraphs end a circuit's line (read without changing the shared DOM).
        circuits = textWithBreaks(value, CIRCUIT_BLOCKS, '\n', NOTHING)
          .split(CIRCUIT_SEPARATOR)
          .map(clean)
          .filter(Boolean)
          .map((circuit_id) => ({ circuit_id, impact: 'OUTAGE' }));
      } else if (LABEL.summary.test(label)) summary = clean(textOf(value));
    }

    if (tickets.length === 0) throw new ParserError('no "Sparkle Ticket Number" in the notice');
    if (starts.length === 0 || starts.length !== ends.length) {
      throw new ParserError(`${starts.length} start and ${ends.length} end times in the Sparkle notice`);
    }
    const base = { account: ACCOUNT_PLACEHOLDER, status: 'CONFIRMED', circuits, summary } as const;
    if (tickets.length === starts.length) {
      return tickets.map((maintenance_id, i): PartialMaintenance => ({ ...base, maintenance_id, start: starts[i], end: ends[i] }));
    }
    if (tickets.length === 1) {
      // One ticket over several days: one maintenance from the first start to the last end.
      return [{ ...base, maintenance_id: tickets[0], start: Math.min(...starts), end: Math.max(...ends) }];
    }
    throw new ParserError(`${tickets.length} Sparkle tickets but ${starts.length} maintenance window(s)`);
  },
};
