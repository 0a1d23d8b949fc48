import ICAL from 'ical.js';
import type { ListedImpact } from '@maintwatch/persistence';
import type { MaintenanceSummary } from '../dto/maintenances.dto';

/** What a calendar event is made of: the maintenance and its provider's display name. */
export interface CalendarEntry {
  maintenance: MaintenanceSummary;
  providerName: string;
}

const PRODID = '-//Maintwatch//maintenance-api//EN';

/**
 * An iCalendar feed (RFC 5545), one VEVENT per maintenance: a stable UID (the maintenance's
 * id), SEQUENCE = the maintenance's version (it bumps on every applied change), DTSTAMP /
 * LAST-MODIFIED = its last change, STATUS (CANCELLED when cancelled or replaced), and the
 * circuits and impacts in the description. ical.js writes the content lines: CRLF line ends,
 * TEXT escaping, UTF-8-aware folding.
 */
export function renderCalendar(entries: readonly CalendarEntry[], name: string): string {
  const cal = new ICAL.Component(['vcalendar', [], []]);
  cal.addPropertyWithValue('prodid', PRODID);
  cal.addPropertyWithValue('version', '2.0');
  cal.addPropertyWithValue('calscale', 'GREGORIAN');
  cal.addPropertyWithValue('method', 'PUBLISH');
  cal.addPropertyWithValue('x-wr-calname', name);
  for (const e of entries) cal.addSubcomponent(vevent(e));
  // ical.js counts its fold length in octets but does not count the leading space of a
  // continuation line: 74 keeps every line within RFC 5545's 75 octets. Set around this
  // synchronous call only, so nothing else sees the library's global changed.
  const fold = ICAL.foldLength;
  ICAL.foldLength = 74;
  try {
    // Every content line ends with CRLF, the last one too.
    return cal.toString() + '\r\n';
  } finally {
    ICAL.foldLength = fold;
  }
}

function vevent({ maintenance: m, providerName }: CalendarEntry): ICAL.Component {
  const ev = new ICAL.Component('vevent');
  ev.addPropertyWithValue('uid', `${m.id}@maintwatch`);
  ev.addPropertyWithValue('sequence', Math.max(0, m.version - 1));
  ev.addPropertyWithValue('dtstamp', utc(m.updatedAt));
  ev.addPropertyWithValue('created', utc(m.createdAt));
  ev.addPropertyWithValue('last-modified', utc(m.updatedAt));
  ev.addPropertyWithValue('dtstart', utc(m.start));
  ev.addPropertyWithValue('dtend', utc(m.end));
  ev.addPropertyWithValue('summary', `${providerName} ${m.maintenanceId}: ${m.summary}`);
  ev.addPropertyWithValue('status', status(m));
  ev.addPropertyWithValue('transp', 'TRANSPARENT');
  ev.addPropertyWithValue('categories', m.providerType);
  ev.addPropertyWithValue('description', description(m, providerName));
  return ev;
}

function status(m: MaintenanceSummary): 'CANCELLED' | 'TENTATIVE' | 'CONFIRMED' {
  if (m.status === 'CANCELLED' || m.replacedById) return 'CANCELLED';
  if (m.status === 'TENTATIVE' || m.status === 'RE-SCHEDULED') return 'TENTATIVE';
  return 'CONFIRMED';
}

function description(m: MaintenanceSummary, providerName: string): string {
  const lines = [
    `Provider: ${providerName} (${m.providerType})`,
    `Maintenance: ${m.maintenanceId}`,
    `Status: ${m.status}`,
    `Account: ${m.account}`,
    'Circuits:',
    ...(m.circuits.length > 0 ? m.circuits.map(circuitLine) : ['  (none named)']),
  ];
  if (m.overlapping) lines.push('Overlaps another maintenance on redundant circuits.');
  if (m.acknowledged) lines.push(`Acknowledged by ${m.acknowledged.by}.`);
  lines.push('', m.summary);
  return lines.join('\n');
}

function circuitLine(c: ListedImpact): string {
  return `  ${c.providerCircuitId}: ${c.impact}${c.redundancyGroup ? ` (redundancy group ${c.redundancyGroup})` : ''}`;
}

function utc(epochSeconds: number): ICAL.Time {
  return ICAL.Time.fromJSDate(new Date(epochSeconds * 1000), true);
}
