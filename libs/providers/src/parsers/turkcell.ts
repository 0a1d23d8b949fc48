import { DateTime } from 'luxon';
import type { CircuitImpact, MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import type { Parser, PartialMaintenance } from '../core/types';
import { htmlCheerio } from '../core/html';

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
 * Epoch of a Turkcell timestamp as Turkcell means it: the date day.month.year (Turkish
 * usage, whatever the values), and the offset east of UTC whether written "GMT+3",
 * "UTC+3" or "+03:00" (Istanbul is UTC+3). The reference library (python-dateutil) reads
 * the date month-first and "GMT+3" in the POSIX sense (three hours WEST): a month and six
 * hours off. The corpus' expected file carries the provider's meaning (corpus README,
 * "Corrections"), and so does this parser. A time without an offset is Istanbul time.
 */
function turkcellEpoch(text: string): number {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) throw new ParserError(`unreadable Turkcell time "${text}"`);
  const zone = m[8] ? `UTC${m[8]}${Number(m[9])}${m[10] ? `:${m[10]}` : ''}` : 'Europe/Istanbul';
  const dt = DateTime.fromObject(
    { year: Number(m[3]), month: Number(m[2]), day: Number(m[1]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? 0) },
    { zone },
  );
  if (!dt.isValid) throw new ParserError(`invalid Turkcell time "${text}": ${dt.invalidExplanation ?? dt.invalidReason}`);
  return Math.floor(dt.toSeconds());
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
    const $ = htmlCheerio(part);
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
      else if (LABEL.start.test(label)) record.start = turkcellEpoch(clean(value.text()));
      else if (LABEL.end.test(label)) record.end = turkcellEpoch(clean(value.text()));
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
