import type { Document } from 'domhandler';
import type { MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import { resolveZone, fromFormat } from '../core/zones';
import type { Parser, PartialMaintenance } from '../core/types';
import { splitLabel } from './common';
import { htmlDocument, textWithBreaks } from '../core/html';

// Seaborn NOC notices come in two layouts, both "Label: value" lines:
//  - planned works: "DESCRIPTION: ...", "SCHEDULE: (UTC):" followed by a line
//    "13-Aug-2021 04:00 - 13-Aug-2021 11:00", "AFFECTED CIRCUIT: ..."; the subject
//    "[Customer Direct] 7777 8/13 ..." gives the account name and the ticket;
//  - ticket notices: "Be advised that this maintenance has been (re)scheduled ...",
//    "Description: ...", "Seaborn Ticket number:7777", "Start date/time: 8/12/2021 2:00:00 am GMT"
//    (month first), "Finish date/time: ...", "Circuit impacted: ..."; the subject
//    "[## 99999 ##] Emergency Maintenance Notification CID: ... TT#7777" gives the account number.

const LABEL = /^[A-Za-z][A-Za-z /#]*$/;
/** "(UTC)" after the SCHEDULE label. */
const PAREN_ZONE = /\(([A-Za-z]{2,5}|[A-Za-z]+[+-]\d{1,2}(?::?\d{2})?)\)/;
/** Anything but printable ASCII: circuit ids arrive with stray replacement / hex characters. */
const NOT_PRINTABLE = /[^\x21-\x7e]/g;
const ACCOUNT_NUMBER = /\[##\s*(\d+)\s*##\]/;
const TICKET_REF = /\bTT#\s*(\d+)/i;
/** "[Customer Direct] 7777 8/13": account name in brackets, then the ticket number. */
const NAMED_ACCOUNT = /\[([^\][]+)\]\s*(\d+)\b/g;
const DATE_FORMATS = [
  'M/d/yyyy h:mm:ss a',
  'M/d/yyyy h:mm a',
  'M/d/yyyy H:mm:ss',
  'M/d/yyyy H:mm',
  'd-MMM-yyyy H:mm',
  'd-MMM-yyyy H:mm:ss',
  'd MMM yyyy H:mm',
  'd MMM yyyy H:mm:ss',
];
/** A private-use character marking line ends while HTML whitespace is collapsed. */
const LINE_END = '\ue000';
/** Elements that end a line. */
const BLOCKS = new Set(['p', 'div', 'tr', 'li', 'table', 'h1', 'h2', 'h3']);

/** Seaborn notice body (either layout). */
export const seabornHtmlParser: Parser = {
  name: 'seaborn-html',
  dataTypes: ['html'],
  parse: (part) => {
    const lines = htmlLines(htmlDocument(part));
    const record: PartialMaintenance = { circuits: [] };
    let status: MaintenanceStatus | undefined;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (/^be advised/i.test(line)) status = adviceStatus(line) ?? status;
      const m = splitLabel(line, LABEL);
      if (!m) continue;
      const label = m.label.toLowerCase();
      const value = m.value;
      if (label === 'description') record.summary = value;
      else if (label.startsWith('seaborn ticket')) record.maintenance_id = value;
      else if (label.startsWith('start date')) record.start = toEpoch(value);
      else if (label.startsWith('finish date') || label.startsWith('end date')) record.end = toEpoch(value);
      else if (label === 'circuit impacted' || label.startsWith('affected circuit')) {
        const circuit = value.replace(NOT_PRINTABLE, '');
        if (circuit) record.circuits?.push({ circuit_id: circuit, impact: 'OUTAGE' });
      } else if (label === 'schedule') {
        // "SCHEDULE: (UTC):" with the window on the next line, or after the label.
        const zone = PAREN_ZONE.exec(value)?.[1] ?? 'UTC';
        const window = value.replace(PAREN_ZONE, '').replace(/^[\s:]+/, '') || (lines[i + 1] ?? '');
        const [from, to] = window.split(/\s+-\s+/);
        if (!from || !to) throw new ParserError(`unreadable schedule "${window}"`);
        record.start = toEpoch(`${from} ${zone}`);
        record.end = toEpoch(`${to} ${zone}`);
      }
    }
    if (record.start === undefined || record.end === undefined) throw new ParserError('no maintenance window (Start/Finish date or SCHEDULE)');
    record.status = status ?? 'CONFIRMED';
    return [record];
  },
};

/** Seaborn subject: account (and, for planned works, the ticket; TT# as a fallback ticket). */
export const seabornSubjectParser: Parser = {
  name: 'seaborn-subject',
  dataTypes: ['email-header-subject'],
  parse: (part) => {
    const subject = String(part.content).replace(/\s+/g, ' ');
    const record: PartialMaintenance = {};
    const number = ACCOUNT_NUMBER.exec(subject);
    if (number) {
      record.account = number[1];
      const ticket = TICKET_REF.exec(subject);
      if (ticket) record.maintenance_id = ticket[1];
      return [record];
    }
    const named = [...subject.matchAll(NAMED_ACCOUNT)].pop();
    if (named) {
      record.account = named[1].trim();
      record.maintenance_id = named[2];
    }
    return [record];
  },
};

function adviceStatus(line: string): MaintenanceStatus | undefined {
  if (/cancell?ed/i.test(line)) return 'CANCELLED';
  if (/rescheduled/i.test(line)) return 'RE-SCHEDULED';
  if (/scheduled/i.test(line)) return 'CONFIRMED';
  return undefined;
}

/** Body lines: <br> and block elements end a line, other whitespace is collapsed. */
function htmlLines(doc: Document): string[] {
  return textWithBreaks(doc, BLOCKS, LINE_END)
    .replace(/\s+/g, ' ')
    .split(LINE_END)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function toEpoch(value: string): number {
  // "8/12/2021 2:00:00 am GMT", "13-Aug-2021 04:00 UTC": the last word is the zone when it is one.
  const words = value.trim().split(/\s+/);
  const last = words[words.length - 1];
  let zone: string | undefined = 'UTC';
  if (words.length > 1 && /^[A-Za-z]{2,5}$|^[+-]\d{2}:?\d{2}$/.test(last) && !/^(am|pm)$/i.test(last)) {
    zone = resolveZone(last);
    words.pop();
  }
  if (!zone) throw new ParserError(`unknown time zone in "${value}"`);
  const local = words.join(' ');
  for (const format of DATE_FORMATS) {
    const dt = fromFormat(local, format, { zone, locale: 'en' });
    if (dt.isValid) return Math.floor(dt.toSeconds());
  }
  throw new ParserError(`unreadable date "${value}"`);
}
