import { parse as parseCsv } from 'csv-parse/sync';
import type { MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import { localToEpoch, resolveZone } from '../core/zones';
import type { Parser, PartialMaintenance } from '../core/types';

// Colt sends the affected circuits as a tab-separated CSV attachment (UTF-16, one row per
// circuit, "OCN: <account>" and "Circuit ID" columns) and everything else in the subject:
//   [ EXTERNAL ] Colt Service Affecting Maintenance Notification - CRQ1-12345678 [06/8/2021 22:00:00 GMT - 07/8/2021 06:00:00 GMT] for ACME, 12345000
//   Cancellation Colt Third Party Maintenance Notification - CRQ1-12345678 [07/12/2021 23:00:00 GMT - ...] for ACME, 123456
//   MAINTENANCE ALERT: CRQ1-12345678 24/10/2021 04:00:00 GMT - 24/10/2021 11:00:00 GMT is about to START
// Dates are day first. The .ics Colt attaches is an Outlook invite in the reader's local time
// (its own text says so), not a BCOP calendar, so it is not read.

/** The change ticket: "CRQ1-12345678". */
const TICKET = /\b(CRQ\w*-\w+)/i;
/** "06/8/2021 22:00:00 GMT" (seconds and zone optional). */
const DATE_TIME = /(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s+([A-Za-z]{1,5}|[+-]\d{2}:?\d{2}))?/g;
/** Tags and reply/forward prefixes in front of the title: "[ EXTERNAL ]", "Fwd:". */
const SUBJECT_PREFIX = /^(?:\s*(?:\[[^\]]*\]|(?:re|fwd?|aw|wg|tr)\s*:))+\s*/i;
const DIGITS = /\d+/;
const NUL = String.fromCharCode(0);

/** Colt circuit list (CSV attachment): circuit ids and the customer account (OCN). */
export const coltCsvParser: Parser = {
  name: 'colt-csv',
  dataTypes: ['csv'],
  parse: (part) => {
    let text = String(part.content);
    // A UTF-16 attachment that declared no charset reaches us read as UTF-8: NUL between
    // the characters and a mangled byte-order mark.
    if (text.includes(NUL)) text = text.replaceAll(NUL, '').replace(/^[\ufffd\ufeff]+/, '');
    const firstLine = text.slice(0, text.search(/\r?\n|$/));
    const rows = parseCsv(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      delimiter: firstLine.includes('\t') ? '\t' : ',',
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }) as Record<string, string | undefined>[];
    if (rows.length > 0 && !('circuit id' in rows[0])) throw new ParserError('CSV has no "Circuit ID" column (not a Colt circuit list)');
    const record: PartialMaintenance = { circuits: [] };
    for (const row of rows) {
      const circuit = row['circuit id']?.trim();
      if (circuit) record.circuits?.push({ circuit_id: circuit, impact: 'OUTAGE' });
      const ocn = row['ocn'] && DIGITS.exec(row['ocn']);
      if (ocn && !record.account) record.account = ocn[0];
    }
    return [record];
  },
};

/** Colt subject: ticket, window, status and title. */
export const coltSubjectParser: Parser = {
  name: 'colt-subject',
  dataTypes: ['email-header-subject'],
  parse: (part) => {
    const subject = String(part.content).replace(/\s+/g, ' ').trim();
    const body = subject.replace(SUBJECT_PREFIX, '');
    const ticket = TICKET.exec(body);
    if (!ticket) throw new ParserError('subject names no Colt CRQ ticket');
    const times = [...body.slice(ticket.index).matchAll(DATE_TIME)];
    if (times.length < 2) throw new ParserError('subject has no "dd/mm/yyyy hh:mm:ss TZ - dd/mm/yyyy hh:mm:ss TZ" window');
    const start = toEpoch(times[0]);
    const end = toEpoch(times[1]);
    const title = body.slice(0, ticket.index).trim().replace(/[\s:-]+$/, '');
    let status: MaintenanceStatus;
    let summary: string;
    if (body.slice(0, ticket.index).trimEnd().endsWith(':')) {
      // "MAINTENANCE ALERT: ... is about to START" / "... - COMPLETED"
      const tail = body.slice((times[1].index ?? 0) + times[1][0].length).toUpperCase();
      status = /\bSTART/.test(tail) ? 'IN-PROCESS' : /\bCOMPLETED?\b/.test(tail) ? 'COMPLETED' : 'CONFIRMED';
      summary = title;
    } else {
      // "[Cancellation] Colt ... Notification - CRQ..." : the first word is the notice kind,
      // and the rest is the summary (as the reference library reports it).
      const [kind, ...rest] = title.split(' ');
      status = /^cancel/i.test(kind) ? 'CANCELLED' : 'CONFIRMED';
      summary = rest.join(' ');
    }
    return [{ maintenance_id: ticket[1], start, end, status, summary }];
  },
};

function toEpoch(m: RegExpMatchArray): number {
  const zone = m[7] ? resolveZone(m[7]) : 'UTC';
  if (!zone) throw new ParserError(`unknown time zone "${m[7]}" in the subject`);
  // localToEpoch: plain arithmetic for UTC, luxon only for a named zone.
  try {
    return localToEpoch(
      { day: Number(m[1]), month: Number(m[2]), year: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? 0) },
      zone,
    );
  } catch (err) {
    throw new ParserError(`invalid date "${m[0]}" in the subject`, { cause: err });
  }
}
