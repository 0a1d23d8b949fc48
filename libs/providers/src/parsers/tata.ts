import { DateTime } from 'luxon';
import type { MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import type { Parser, PartialMaintenance } from '../core/types';
import { resolveZone } from '../core/zones';
import { elementsNamed, htmlDocument, textOf } from '../core/html';

// Tata Communications (ServiceNow) "Planned Work Notification" mails: a two-column table
// of label / value rows (Ticket Reference - TCL, Service ID, Activity Window (GMT), and on
// updates Revised Activity Window (GMT) or "Extended up to Time Window (GMT)"), a mailto:
// link to the planned-activity desk, and a subject that says what kind of notice it is:
//   TCL TT: "<ticket>" / "<type>" / "<state>" / Planned Work Notification

/** "2024-12-22 00:01:00 GMT" (zone written after each time). */
const TIMESTAMP = /(\d{4})-(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([A-Za-z]{2,5}\b|[+-]\d{2}:?\d{2})?/g;

/** Subject words to status, checked in this order (the reference library's order). */
const SUBJECT_STATES: [RegExp, MaintenanceStatus][] = [
  [/completion/i, 'COMPLETED'],
  [/reschedule|extension/i, 'RE-SCHEDULED'],
  [/reminder/i, 'CONFIRMED'],
  [/cancellation/i, 'CANCELLED'],
];

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

function readTimes(value: string, label: string): number[] {
  return [...value.matchAll(TIMESTAMP)].map((m) => {
    const zoneName = m[7] ?? 'UTC';
    const zone = resolveZone(zoneName);
    if (!zone) throw new ParserError(`unknown time zone "${zoneName}" in ${label}`);
    const dt = DateTime.fromObject(
      { year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +(m[6] ?? 0) },
      { zone },
    );
    if (!dt.isValid) throw new ParserError(`invalid time "${m[0]}" in ${label}`);
    return Math.floor(dt.toSeconds());
  });
}

/** Tata planned work notice body: ticket, services, window and the desk that sent it. */
export const tataHtmlParser: Parser = {
  name: 'tata-html',
  dataTypes: ['html'],
  parse: (part) => {
    const doc = htmlDocument(part);
    const rows = new Map<string, string>();
    for (const row of elementsNamed(doc, 'tr')) {
      // Plain DOM children: no selector compiled per row.
      const cells = row.children.filter((c) => c.type === 'tag' && c.name === 'td');
      if (cells.length !== 2) continue;
      const label = squash(textOf(cells[0])).toLowerCase();
      if (label && !rows.has(label)) rows.set(label, squash(textOf(cells[1])));
    }
    const ticket = rows.get('ticket reference - tcl');
    if (!ticket) throw new ParserError('no "Ticket Reference - TCL" row');
    // Tata names no customer account in these notices; the reference library says "N/A".
    const record: PartialMaintenance = { maintenance_id: ticket, account: 'N/A' };

    record.circuits = (rows.get('service id') ?? '')
      .split(',')
      .map(squash)
      .filter(Boolean)
      .map((circuit_id) => ({ circuit_id, impact: 'OUTAGE' }));

    // A revised window replaces the first one; an extension moves only the end.
    const windowLabel = ['revised activity window (gmt)', 'activity window (gmt)'].find((l) => rows.has(l));
    if (windowLabel) {
      const [start, end] = readTimes(rows.get(windowLabel) ?? '', windowLabel);
      if (start === undefined || end === undefined) throw new ParserError(`unreadable ${windowLabel} "${rows.get(windowLabel)}"`);
      record.start = start;
      record.end = end;
    }
    for (const [label, value] of rows) {
      if (!label.includes('extended up to time window')) continue;
      const [end] = readTimes(value, label);
      if (end !== undefined) record.end = end;
    }
    if (record.start === undefined || record.end === undefined) throw new ParserError('no "Activity Window (GMT)" row');

    const mailto = elementsNamed(doc, 'a').find((a) => a.attribs.href?.toLowerCase().startsWith('mailto:'));
    const organizer = mailto ? squash(textOf(mailto)) : '';
    if (organizer.includes('@')) record.organizer = organizer;
    return [record];
  },
};

/** Tata subject: the summary, and the notice kind as status (CONFIRMED by default). */
export const tataSubjectParser: Parser = {
  name: 'tata-subject',
  dataTypes: ['email-header-subject'],
  parse: (part) => {
    const summary = String(part.content).replace(/\r?\n/g, '').trim();
    const status = SUBJECT_STATES.find(([re]) => re.test(summary))?.[1] ?? 'CONFIRMED';
    return [{ summary, status }];
  },
};
