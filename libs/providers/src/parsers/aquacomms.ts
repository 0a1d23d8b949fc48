import { DateTime } from 'luxon';
import { ParserError } from '../core/errors';
import { resolveZone } from '../core/zones';
import { htmlCheerio } from '../core/html';
import type { Parser, PartialMaintenance } from '../core/types';

// AquaComms ticketing notices: two-cell table rows "Ticket Number: | 11111",
// "Scheduled Start Date & Time: | 22:00 12/10/2020 GMT" (time first, day first),
// "Scheduled End Date & Time:", "Service ID:", then update rows "- Update - <text>".
// The subject "Aqua Comms Planned Outage Work ISSUE=11111 PROJ=999" carries the ticket
// (ISSUE) and the customer's project number, used as the account (PROJ).

/** "22:00 12/10/2020 GMT". */
const WHEN = /^(\d{1,2}):(\d{2})\s+(\d{1,2})\/(\d{1,2})\/(\d{4})\s*(\S+)?$/;
const UPDATE_ROW = /^-?\s*Update\s*-\s*(.+)$/i;
const ISSUE = /\bISSUE=(\d+)/i;
const PROJECT = /\bPROJ=(\d+)/i;

/** AquaComms notice body: ticket, window, service ids and the latest update as summary. */
export const aquacommsHtmlParser: Parser = {
  name: 'aquacomms-html',
  dataTypes: ['html'],
  parse: (part) => {
    const $ = htmlCheerio(part);
    const record: PartialMaintenance = {};
    const circuits: string[] = [];
    $('tr').each((_, tr) => {
      const cells = $(tr)
        .children('td, th')
        .map((_, c) => $(c).text().replace(/\s+/g, ' ').trim())
        .get();
      if (cells.length === 1) {
        const update = UPDATE_ROW.exec(cells[0]);
        if (update) record.summary = update[1].trim();
        return;
      }
      if (cells.length < 2) return;
      const label = cells[0].replace(/:\s*$/, '').toLowerCase();
      const value = cells[1];
      if (!value) return;
      if (label.includes('ticket number')) record.maintenance_id = value;
      else if (label.includes('scheduled start date')) record.start = toEpoch(value);
      else if (label.includes('scheduled end date')) record.end = toEpoch(value);
      else if (label.includes('service id')) circuits.push(value);
    });
    if (record.start === undefined || record.end === undefined) throw new ParserError('no "Scheduled Start/End Date & Time" rows');
    record.circuits = circuits.map((circuit_id) => ({ circuit_id, impact: 'OUTAGE' }));
    record.status = 'CONFIRMED';
    return [record];
  },
};

/** AquaComms subject: ticket (ISSUE=) and account (PROJ=). */
export const aquacommsSubjectParser: Parser = {
  name: 'aquacomms-subject',
  dataTypes: ['email-header-subject'],
  parse: (part) => {
    const subject = String(part.content);
    const record: PartialMaintenance = {};
    const issue = ISSUE.exec(subject);
    const project = PROJECT.exec(subject);
    if (issue) record.maintenance_id = issue[1];
    if (project) record.account = project[1];
    return [record];
  },
};

function toEpoch(value: string): number {
  const m = WHEN.exec(value.trim());
  if (!m) throw new ParserError(`unreadable date "${value}" (expected "HH:MM DD/MM/YYYY TZ")`);
  const zone = m[6] ? resolveZone(m[6]) : 'UTC';
  if (!zone) throw new ParserError(`unknown time zone "${m[6]}"`);
  const dt = DateTime.fromObject(
    { hour: Number(m[1]), minute: Number(m[2]), day: Number(m[3]), month: Number(m[4]), year: Number(m[5]) },
    { zone },
  );
  if (!dt.isValid) throw new ParserError(`invalid date "${value}"`);
  return Math.floor(dt.toSeconds());
}
