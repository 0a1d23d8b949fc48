import { load } from 'cheerio';
import { DateTime } from 'luxon';
import type { CircuitImpact, MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import type { Parser, PartialMaintenance } from '../core/types';

/** htmlparser2 in HTML mode: faster than parse5, and notices need no spec-exact tree. */
const HTML_OPTIONS = { xml: { xmlMode: false, decodeEntities: true } };

// Turkcell Superonline notices: a heading row ("TURKCELL SUPERONLINE PLANNED MAINTENANCE"),
// then label | value rows ("Maintenance Number:", "Start Time:", "End Time:" — the
// labels' spelling varies, so only their first word is relied on) and "Impact of the
// maintenance:" whose cell holds the description and the impacted circuits, either as a
// nested table (circuit | customer | state) or as interface lines
// ("Eth-Trunk1.1   up   up   111111111111111|01-CUSTOMER|LOCATION|LINK").

const LABEL = {
  id: /^maintenance (?:number|no)\b/i,
  start: /^start\b/i,
  end: /^end\b/i,
  impact: /^impact of the maintenance/i,
};
/** The banner row: "TURKCELL SUPERONLINE PLANNED MAINTENANCE [EMERGENCY]". */
const HEADING = /maintenance/i;
/** "<interface> <state> <state> <circuit>|<customer>|<location>|<link>". */
const INTERFACE_LINE = /\s([^\s|]+)\|([^|]+)\|[^|]+\|/;
/** "07.08.2021 00:00 GMT+3" */
const TIMESTAMP = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:(GMT|UTC)?\s*([+-])(\d{1,2})(?::?(\d{2}))?)?/i;

/**
 * Epoch of a Turkcell timestamp, read as the reference library (python-dateutil) reads
 * it, which the acceptance corpus is built on: the date month-first unless the first
 * field cannot be a month, and "GMT+3" in the POSIX sense (three hours WEST of GMT),
 * while a bare "+03:00" is east. Both readings differ from what Turkcell means
 * (day-first, GMT+3 = Istanbul): see the provider report before changing them.
 */
function referenceEpoch(text: string): number {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) throw new ParserError(`unreadable Turkcell time "${text}"`);
  const [first, second] = [Number(m[1]), Number(m[2])];
  const [month, day] = first > 12 ? [second, first] : [first, second];
  let offsetMinutes = 0;
  if (m[8]) {
    const sign = m[8] === '+' ? 1 : -1;
    const posix = m[7] !== undefined ? -1 : 1;
    offsetMinutes = posix * sign * (Number(m[9]) * 60 + Number(m[10] ?? 0));
  }
  const dt = DateTime.fromObject(
    { year: Number(m[3]), month, day, hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? 0) },
    { zone: 'UTC' },
  );
  if (!dt.isValid) throw new ParserError(`invalid Turkcell time "${text}"`);
  return Math.floor(dt.toSeconds()) - offsetMinutes * 60;
}

const clean = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * Circuits (and the customer) of the impact cell: rows of its nested table
 * (circuit | customer | state), else its interface lines.
 */
function circuitsOf(rows: readonly string[][], lines: readonly string[]): { circuits: CircuitImpact[]; account?: string } {
  const circuits: CircuitImpact[] = [];
  let account: string | undefined;
  for (const cells of rows) {
    if (cells.length < 2) continue;
    circuits.push({ circuit_id: cells[0], impact: 'OUTAGE' });
    account ??= cells[1];
  }
  if (circuits.length > 0) return { circuits, account };
  for (const line of lines) {
    const m = INTERFACE_LINE.exec(line);
    if (!m) continue;
    circuits.push({ circuit_id: m[1], impact: 'OUTAGE' });
    account ??= m[2].trim();
  }
  return { circuits, account };
}

function statusOf(heading: string): MaintenanceStatus {
  const lower = heading.toLowerCase();
  if (lower.includes('cancel')) return 'CANCELLED';
  if (lower.includes('completed')) return 'COMPLETED';
  return 'CONFIRMED';
}

/** Turkcell (Superonline) notice body (HTML). */
export const turkcellHtmlParser: Parser = {
  name: 'turkcell-html',
  dataTypes: ['html'],
  parse: (part) => {
    const $ = load(String(part.content), HTML_OPTIONS);
    const record: PartialMaintenance = {};
    let heading = '';

    $('tr').each((_, tr) => {
      const cells = $(tr)
        .children()
        .filter((__, cell) => cell.name === 'td');
      const label = clean(cells.first().text());
      if (cells.length === 1 && !heading && HEADING.test(label)) heading = label;
      // Labels end with a colon; circuit rows of the nested table have none.
      if (cells.length < 2 || !label.endsWith(':')) return;
      const value = cells.eq(1);
      if (LABEL.id.test(label)) record.maintenance_id = clean(value.text());
      else if (LABEL.start.test(label)) record.start = referenceEpoch(clean(value.text()));
      else if (LABEL.end.test(label)) record.end = referenceEpoch(clean(value.text()));
      else if (LABEL.impact.test(label)) {
        // The description is the cell's first paragraph, its line breaks kept as written.
        const first = value.find('p').first();
        record.summary = (first.length > 0 ? first : value).text().replace(/\r\n?/g, '\n').trim();
        const rows = value
          .find('table tr')
          .map((__, row) => [
            $(row)
              .children()
              .map((___, td) => clean($(td).text()))
              .get()
              .filter(Boolean),
          ])
          .get();
        const lines = value
          .find('p')
          .map((__, p) => clean($(p).text()))
          .get();
        const { circuits, account } = circuitsOf(rows, lines);
        record.circuits = circuits;
        if (account) record.account = account;
      }
    });

    if (!record.maintenance_id) throw new ParserError('no "Maintenance Number" in the Turkcell notice');
    if (record.start === undefined || record.end === undefined) throw new ParserError('no start / end time in the Turkcell notice');
    record.status = statusOf(heading);
    return [record];
  },
};
