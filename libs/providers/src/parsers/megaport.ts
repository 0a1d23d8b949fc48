import { DateTime, Info } from 'luxon';
import type { CircuitImpact, MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import type { Parser, PartialMaintenance } from '../core/types';
import { htmlCheerio } from '../core/html';

// Megaport notices are paragraphs in a content table:
//   Hi <account>
//   This is a reminder that Planned maintenance (<b>ID</b>) that will impact ...
//   (or "Please be advised that ...")
//   Purpose of Maintenance: <free text, possibly several lines or the next paragraph>
//   a table with a "Service ID" header column (the impacted services)
//   Start Date and Time: Wed, 12 May 2021 10:00:00 UTC
//   End Date and Time: Wed, 12 May 2021 11:00:00 UTC
// Announcements put both times in one paragraph, reminders one per paragraph.

const GREETING = /^Hi\s+(.+)$/;
const ANNOUNCEMENT = /^(?:This is a reminder|Please be advised that)/i;
const PURPOSE = /^Purpose of Maintenance:\s*/i;
const SERVICE_ID_HEADER = /^service id$/i;
const START = /Start Date and Time:\s*(.+?)\s*UTC\b/i;
const END = /End Date and Time:\s*(.+?)\s*UTC\b/i;
/** Month numbers by their first three letters, from luxon's English month names. */
const MONTHS = new Map(Info.months('short', { locale: 'en-US' }).map((name, i) => [name.toLowerCase(), i + 1]));
/** Megaport writes RFC 2822-like UTC times: "Wed, 12 May 2021 10:00:00" (weekday and seconds optional). */
const TIME = /^(?:[A-Za-z]{3},?\s+)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

function utcEpoch(text: string): number {
  const m = TIME.exec(text.trim());
  const month = m ? MONTHS.get(m[2].toLowerCase()) : undefined;
  if (!m || !month) throw new ParserError(`unreadable Megaport time "${text}"`);
  const dt = DateTime.fromObject(
    { year: Number(m[3]), month, day: Number(m[1]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? 0) },
    { zone: 'UTC' },
  );
  if (!dt.isValid) throw new ParserError(`invalid Megaport time "${text}": ${dt.invalidExplanation}`);
  return Math.floor(dt.toSeconds());
}

function statusOf(announcement: string): MaintenanceStatus {
  const lower = announcement.toLowerCase();
  if (lower.includes('cancelled') || lower.includes('canceled')) return 'CANCELLED';
  if (lower.includes('rescheduled')) return 'RE-SCHEDULED';
  if (lower.includes('completed')) return 'COMPLETED';
  return 'CONFIRMED';
}

/** Megaport notice body (HTML). */
export const megaportHtmlParser: Parser = {
  name: 'megaport-html',
  dataTypes: ['html'],
  parse: (part) => {
    const $ = htmlCheerio(part);
    const record: PartialMaintenance = {};
    let purposeFollows = false;

    $('p').each((_, p) => {
      const raw = $(p).text().replace(/\r\n?/g, '\n').trim();
      if (!raw) return;
      const text = raw.replace(/\s+/g, ' ');
      if (purposeFollows) {
        record.summary = raw;
        purposeFollows = false;
        return;
      }
      let m: RegExpExecArray | null;
      if (ANNOUNCEMENT.test(text) && record.maintenance_id === undefined) {
        const id = $(p).find('b, strong').first().text().trim();
        if (id) record.maintenance_id = id;
        record.status = statusOf(text);
      } else if (record.account === undefined && (m = GREETING.exec(text))) {
        record.account = m[1].trim();
      } else if (PURPOSE.test(raw)) {
        const purpose = raw.replace(PURPOSE, '');
        if (purpose) record.summary = purpose;
        else purposeFollows = true;
      } else {
        if ((m = START.exec(text))) record.start = utcEpoch(m[1]);
        if ((m = END.exec(text))) record.end = utcEpoch(m[1]);
      }
    });

    // The services table: a header cell "Service ID" heads the column of impacted service IDs.
    const header = $('th')
      .filter((_, th) => SERVICE_ID_HEADER.test($(th).text().trim()))
      .first();
    if (header.length > 0) {
      const table = header.closest('table');
      const column = header.index();
      const circuits: CircuitImpact[] = [];
      table.find('tr').each((_, tr) => {
        if (!$(tr).closest('table').is(table)) return;
        const cells = $(tr).children();
        // The header row's cells are <th>; data rows hold the IDs in <td>.
        if (cells.eq(column).get(0)?.name !== 'td') return;
        const id = cells.eq(column).text().trim();
        if (id) circuits.push({ circuit_id: id, impact: 'OUTAGE' });
      });
      record.circuits = circuits;
    }

    if (!record.maintenance_id) throw new ParserError('no maintenance ID (bold, in "This is a reminder ..." / "Please be advised that ...")');
    if (record.start === undefined || record.end === undefined) {
      throw new ParserError('no "Start Date and Time" / "End Date and Time" in the Megaport notice');
    }
    return [record];
  },
};
