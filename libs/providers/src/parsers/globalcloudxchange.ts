import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type { CircuitImpact, Impact, MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import type { Parser, PartialMaintenance } from '../core/types';
import { fromFormat } from '../core/zones';
import { htmlCheerio } from '../core/html';

// Global Cloud Xchange (GCX) notices. The subject carries the ticket and the window:
//   "<ticket> | <urgency> | <notice kind> | <summary> | 12-Feb-2024 09:00 (GMT) - 12-Feb-2024 17:00 (GMT)"
// The HTML body greets the customer ("Dear <account>,"), lists the windows in a table
// (Window | Primary Start Date (GMT) | Primary End Date (GMT) | Backup ...) and the services
// in a table (Service ID | Impact).

/** "12-Feb-2024 09:00", times in GMT (the headers and the subject say so). */
const TIME_FORMAT = 'd-LLL-yyyy HH:mm';
const TIME = /\d{1,2}-[A-Za-z]{3}-\d{4} \d{1,2}:\d{2}/g;
const TIME_CELL = /^\d{1,2}-[A-Za-z]{3}-\d{4} \d{1,2}:\d{2}$/;
const TICKET = /^[A-Z0-9][A-Z0-9-]{3,}$/;
const GREETING = /\bDear\s+([^,\n]+?)\s*,/;
/** A window cell holds a time, or "NA" when there is no backup window. */
const isTime = (value: string | undefined): value is string => !!value && TIME_CELL.test(value);

/** Subject words to status, most specific first ("Service Advisory Notice" says nothing). */
const SUBJECT_STATES: [RegExp, MaintenanceStatus][] = [
  [/\bcompleted?\b/i, 'COMPLETED'],
  [/\bcancell?ed\b|\bcancellation\b/i, 'CANCELLED'],
  [/\brescheduled?\b/i, 'RE-SCHEDULED'],
];

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

function gmt(value: string, what: string): number {
  const dt = fromFormat(squash(value), TIME_FORMAT, { zone: 'UTC', locale: 'en-US' });
  if (!dt.isValid) throw new ParserError(`unreadable ${what} "${value}"`);
  return Math.floor(dt.toSeconds());
}

/** GCX subject: ticket, summary, window and status. */
export const globalcloudxchangeSubjectParser: Parser = {
  name: 'globalcloudxchange-subject',
  dataTypes: ['email-header-subject'],
  parse: (part) => {
    const subject = squash(String(part.content));
    const fields = subject.split('|').map(squash);
    const record: PartialMaintenance = {
      status: SUBJECT_STATES.find(([re]) => re.test(subject))?.[1] ?? 'CONFIRMED',
    };
    if (fields.length >= 2 && TICKET.test(fields[0])) record.maintenance_id = fields[0];
    const windowIndex = fields.findIndex((f) => (f.match(TIME)?.length ?? 0) >= 2);
    const times = windowIndex >= 0 ? (fields[windowIndex].match(TIME) ?? []) : [];
    if (times.length >= 2) {
      record.start = gmt(times[0], 'start in the subject');
      record.end = gmt(times[1], 'end in the subject');
      // The field before the window names the work; the first ones are ticket, urgency, kind.
      if (windowIndex >= 2) record.summary = fields[windowIndex - 1];
    }
    if (!record.maintenance_id) throw new ParserError('no "<ticket> | ..." subject');
    return [record];
  },
};

/** The cell texts of a row (plain DOM: no selector compiled per row). */
const cellTexts = ($: CheerioAPI, row: Element): string[] =>
  row.children.filter((c) => c.type === 'tag' && (c.name === 'td' || c.name === 'th')).map((c) => squash($(c).text()));

/** A table's header texts (first row, lower-cased) and its other rows. */
function headerColumns($: CheerioAPI, table: Element): { rows: Element[]; headers: string[] } {
  const rows = $(table).find('tr').toArray();
  const headers = rows.length ? cellTexts($, rows[0]).map((h) => h.toLowerCase()) : [];
  return { rows: rows.slice(1), headers };
}

const impactOf = (text: string): Impact =>
  /at risk/i.test(text) ? 'REDUCED-REDUNDANCY' : /\bno(?:n-| )?impact\b/i.test(text) ? 'NO-IMPACT' : 'OUTAGE';

/** GCX notice body: account, services, and the primary window(s). */
export const globalcloudxchangeHtmlParser: Parser = {
  name: 'globalcloudxchange-html',
  dataTypes: ['html'],
  parse: (part) => {
    const $ = htmlCheerio(part);
    const circuits: CircuitImpact[] = [];
    const windows: { start: number; end: number }[] = [];
    for (const table of $('table').toArray()) {
      const { rows, headers } = headerColumns($, table);
      const serviceCol = headers.findIndex((h) => h === 'service id' || h === 'circuit id');
      const startCol = headers.findIndex((h) => h.startsWith('primary start'));
      const endCol = headers.findIndex((h) => h.startsWith('primary end'));
      const impactCol = headers.findIndex((h) => h.includes('impact'));
      for (const row of rows) {
        const cells = cellTexts($, row);
        if (serviceCol >= 0 && cells[serviceCol]) {
          circuits.push({ circuit_id: cells[serviceCol], impact: impactOf(cells[impactCol] ?? '') });
        } else if (startCol >= 0 && endCol >= 0 && isTime(cells[startCol]) && isTime(cells[endCol])) {
          windows.push({ start: gmt(cells[startCol], 'Primary Start Date'), end: gmt(cells[endCol], 'Primary End Date') });
        }
      }
    }
    if (circuits.length === 0) throw new ParserError('no services table ("Service ID" | "Impact")');
    const base: PartialMaintenance = { circuits };
    const account = GREETING.exec($.root().text())?.[1];
    if (account) base.account = squash(account);
    // Several windows give one maintenance each; one window (or none) is common data.
    if (windows.length <= 1) return [{ ...base, ...windows[0] }];
    return windows.map((w) => ({ ...base, ...w }));
  },
};
