import ICAL from 'ical.js';
import { Impact, MaintenanceStatus, type CircuitImpact } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import { isExactZoneName, localToEpoch, mailDateToEpoch, resolveZone } from '../core/zones';
import type { DataPart, Parser, ParserContext, PartialMaintenance } from '../core/types';

// BCOP maintnote iCalendar (jda/maintnote-std, draft-gunter-calext-maintenance-notifications):
// one VEVENT is one maintenance; the X-MAINTNOTE-* properties carry provider, account,
// maintenance id(s), objects (circuits), impact and status.

type Component = InstanceType<typeof ICAL.Component>;
type Property = InstanceType<typeof ICAL.Property>;
type Time = InstanceType<typeof ICAL.Time>;
type Timezone = InstanceType<typeof ICAL.Timezone>;

/** Per-calendar state needed to turn DATE-TIME values into epoch seconds. */
interface CalendarScope {
  /** VTIMEZONE components by TZID; ICAL.Timezone built on first use (never registered globally). */
  vtimezones: Map<string, Component>;
  built: Map<string, Timezone | null>;
  /** X-WR-TIMEZONE: the zone floating times are meant in (Apple / Google calendars). */
  floatingZone?: string;
  method?: string;
}

const IMPACTS = new Set<string>(Impact.options);
const STATUSES = new Set<string>(MaintenanceStatus.options);
/** Spellings seen outside the standard's token list, mapped to the standard's value. */
const STATUS_ALIASES: Record<string, MaintenanceStatus> = {
  CANCELED: 'CANCELLED',
  'IN-PROGRESS': 'IN-PROCESS',
  INPROCESS: 'IN-PROCESS',
  INPROGRESS: 'IN-PROCESS',
  RESCHEDULED: 'RE-SCHEDULED',
  COMPLETE: 'COMPLETED',
  NOCHANGE: 'NO-CHANGE',
};

/** A content line starts with a property name (iana-token / x-name) and then ";" or ":". */
const CONTENT_LINE = /^[A-Za-z0-9-]+[;:]/;
const LINE_BREAK = /\r\n|\n|\r/;
const SEQUENCE_LINE = /^SEQUENCE[;:]/i;
const CALENDAR_BEGIN = /^BEGIN:VCALENDAR\s*$/i;
const CALENDAR_END = /^END:VCALENDAR\s*$/i;
const INTEGER = /^[+-]?\d+$/;
const BASE64_ONLY = /^[A-Za-z0-9+/=\s]+$/;
const TEXT_ESCAPE = /\\([\\;,nN])/g;
const SECONDS_PER_DAY = 86400;

/**
 * BCOP maintnote iCalendar parser (circuit-maintenance-parser's ICal): one maintenance per
 * VEVENT that carries X-MAINTNOTE-* properties. Throws ParserError with the precise reason
 * when the part is no iCalendar, is broken, or a BCOP event lacks a required field.
 */
export const icalParser: Parser = {
  name: 'ical-bcop',
  dataTypes: ['ical'],
  parse: (part, ctx) => parseBcopCalendar(part, ctx),
};

function parseBcopCalendar(part: DataPart, ctx: ParserContext): PartialMaintenance[] {
  if (typeof part.content !== 'string') throw new ParserError('iCalendar part is binary, not text');
  // Outlook and many ticketing tools send the same calendar twice (text/calendar alternative
  // plus an .ics attachment): the copy after the first one adds nothing.
  const first = ctx.notification.parts.find((p) => p.type === 'ical' && p.content === part.content);
  if (first && first !== part) return [];

  const calendars = readCalendars(part.content);
  const records: PartialMaintenance[] = [];
  let events = 0;
  for (const calendar of calendars) {
    const scope = calendarScope(calendar);
    for (const event of calendar.getAllSubcomponents('vevent')) {
      events++;
      if (!event.getAllProperties().some((p) => p.name.startsWith('x-maintnote-'))) continue;
      try {
        records.push(readEvent(event, scope, ctx));
      } catch (err) {
        const uid = event.getFirstPropertyValue('uid');
        throw new ParserError(`VEVENT ${events}${uid ? ` (UID ${String(uid)})` : ''}: ${messageOf(err)}`);
      }
    }
  }
  if (events === 0) throw new ParserError('iCalendar has no VEVENT');
  if (records.length === 0) {
    throw new ParserError(`no VEVENT carries X-MAINTNOTE- properties (${events} event(s)): not a BCOP maintenance calendar`);
  }
  return records;
}

/**
 * Text -> VCALENDAR components. Tolerates what providers' generators get wrong (unfolded
 * DESCRIPTION continuation lines without the leading space, text before BEGIN:VCALENDAR,
 * base64 left in place) the way the reference's icalendar library does: a line that is not
 * a content line is skipped. Structural damage (no BEGIN/END, unbalanced components) throws.
 */
function readCalendars(content: string): Component[] {
  let text = content.replace(/^\uFEFF/, '');
  if (!/BEGIN:VCALENDAR/i.test(text)) {
    const decoded = BASE64_ONLY.test(text) ? Buffer.from(text, 'base64').toString('utf8') : '';
    if (!/BEGIN:VCALENDAR/i.test(decoded)) throw new ParserError('no BEGIN:VCALENDAR: not an iCalendar object');
    text = decoded;
  }
  if (!/END:VCALENDAR/i.test(text)) throw new ParserError('no END:VCALENDAR: iCalendar object is truncated');

  const kept: string[] = [];
  let dropping = false;
  for (const line of text.split(LINE_BREAK)) {
    if (line === '') continue;
    if (line[0] === ' ' || line[0] === '\t') {
      // A folded continuation belongs to the line before it; it goes where that line went.
      if (!dropping && kept.length > 0) kept.push(line);
      continue;
    }
    dropping = !(CONTENT_LINE.test(line) && line.includes(':'));
    if (dropping) continue;
    // ical.js reads a non-numeric INTEGER as 0, which would pass as a real sequence number.
    if (SEQUENCE_LINE.test(line)) {
      const value = line.slice(line.indexOf(':') + 1).trim();
      if (!INTEGER.test(value)) throw new ParserError(`SEQUENCE "${value}" is not an integer`);
    }
    kept.push(line);
  }
  // Mail text around the calendar ("Note: ..." looks like a content line) is not part of it.
  const first = kept.findIndex((l) => CALENDAR_BEGIN.test(l));
  let last = kept.length - 1;
  while (last > first && !CALENDAR_END.test(kept[last])) last--;
  kept.splice(last + 1);
  kept.splice(0, Math.max(first, 0));

  let jcal: unknown;
  try {
    jcal = ICAL.parse(kept.join('\r\n'));
  } catch (err) {
    throw new ParserError(`malformed iCalendar: ${messageOf(err)}`);
  }
  const roots = Array.isArray(jcal) && typeof jcal[0] === 'string' ? [jcal] : (jcal as unknown[]);
  const calendars: Component[] = [];
  for (const root of roots) {
    try {
      const component = new ICAL.Component(root as unknown[]);
      if (component.name === 'vcalendar') calendars.push(component);
    } catch (err) {
      throw new ParserError(`malformed iCalendar component: ${messageOf(err)}`);
    }
  }
  if (calendars.length === 0) throw new ParserError('no VCALENDAR component');
  return calendars;
}

function calendarScope(calendar: Component): CalendarScope {
  const vtimezones = new Map<string, Component>();
  for (const vtz of calendar.getAllSubcomponents('vtimezone')) {
    const tzid = vtz.getFirstPropertyValue('tzid');
    if (typeof tzid === 'string' && tzid) vtimezones.set(tzid, vtz);
  }
  const wr = calendar.getFirstPropertyValue('x-wr-timezone');
  const method = calendar.getFirstPropertyValue('method');
  return {
    vtimezones,
    built: new Map(),
    floatingZone: typeof wr === 'string' ? resolveZone(unescapeText(wr)) : undefined,
    method: typeof method === 'string' ? method.trim().toUpperCase() : undefined,
  };
}

function readEvent(event: Component, scope: CalendarScope, ctx: ParserContext): PartialMaintenance {
  const maintenanceId = primaryMaintenanceId(event);
  const account = identifier(textOf(event, 'x-maintnote-account'));
  if (!account) throw new ParserError('no X-MAINTNOTE-ACCOUNT');

  const impact = normaliseImpact(textOf(event, 'x-maintnote-impact'));
  const circuits: CircuitImpact[] = [];
  for (const prop of event.getAllProperties('x-maintnote-object-id')) {
    const circuitId = identifier(propertyText(prop));
    if (!circuitId) continue;
    const own = parameter(prop, 'x-maintnote-object-impact');
    circuits.push({ circuit_id: circuitId, impact: own === undefined ? impact : normaliseImpact(own) });
  }

  const start = dateProperty(event, 'dtstart', scope);
  if (!start) throw new ParserError('no DTSTART');
  const end = endOf(event, start, scope);
  const stamp = dateProperty(event, 'dtstamp', scope)?.epoch ?? mailStamp(ctx);

  const record: PartialMaintenance = {
    account,
    maintenance_id: maintenanceId,
    circuits,
    status: statusOf(event, scope),
    start: start.epoch,
    end,
    stamp,
    sequence: sequenceOf(event),
  };
  // Free text is kept as the provider wrote it (the reference keeps surrounding blanks).
  const provider = textOf(event, 'x-maintnote-provider');
  if (provider?.trim()) record.provider = provider;
  const organizer = stringValue(event, 'organizer')?.trim();
  if (organizer) record.organizer = organizer;
  const uid = stringValue(event, 'uid');
  if (uid !== undefined && uid !== '') record.uid = uid;
  const summary = stringValue(event, 'summary');
  if (summary !== undefined) record.summary = summary;
  return record;
}

/** The MAINTENANCE-ID marked X-MAINTNOTE-PRECEDENCE=PRIMARY, else the first one. */
function primaryMaintenanceId(event: Component): string {
  const ids: { id: string; primary: boolean }[] = [];
  for (const prop of event.getAllProperties('x-maintnote-maintenance-id')) {
    const id = identifier(propertyText(prop));
    if (id) ids.push({ id, primary: parameter(prop, 'x-maintnote-precedence')?.trim().toUpperCase() === 'PRIMARY' });
  }
  if (ids.length === 0) throw new ParserError('no X-MAINTNOTE-MAINTENANCE-ID');
  return (ids.find((i) => i.primary) ?? ids[0]).id;
}

/** The standard: a missing or unrecognised impact is treated as OUTAGE (worst case). */
function normaliseImpact(value: string | undefined): Impact {
  const token = value?.trim().toUpperCase().replace(/[\s_]+/g, '-');
  return token && IMPACTS.has(token) ? (token as Impact) : 'OUTAGE';
}

function statusOf(event: Component, scope: CalendarScope): MaintenanceStatus {
  const raw = textOf(event, 'x-maintnote-status');
  if (raw === undefined || raw.trim() === '') {
    // No BCOP status: a plain iCalendar cancellation still cancels (RFC 5546 METHOD:CANCEL,
    // RFC 5545 STATUS:CANCELLED); otherwise the reference's "no change".
    const icalStatus = stringValue(event, 'status')?.trim().toUpperCase();
    return scope.method === 'CANCEL' || icalStatus === 'CANCELLED' ? 'CANCELLED' : 'NO-CHANGE';
  }
  const token = raw.trim().toUpperCase().replace(/[\s_]+/g, '-');
  if (STATUSES.has(token)) return token as MaintenanceStatus;
  const alias = STATUS_ALIASES[token] ?? STATUS_ALIASES[token.replace(/-/g, '')];
  if (alias) return alias;
  throw new ParserError(`unknown X-MAINTNOTE-STATUS "${raw.trim()}"`);
}

/** SEQUENCE, or -1 when absent (the reference's value; the standard requires it). */
function sequenceOf(event: Component): number {
  const prop = event.getFirstProperty('sequence');
  if (!prop) return -1;
  const value = prop.getFirstValue();
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n)) throw new ParserError(`SEQUENCE "${String(value)}" is not an integer`);
  return n;
}

/** DTEND, else DTSTART + DURATION, else the whole day of an all-day DTSTART (RFC 5545 3.6.1). */
function endOf(event: Component, start: { epoch: number; isDate: boolean }, scope: CalendarScope): number {
  const end = dateProperty(event, 'dtend', scope);
  if (end) return end.epoch;
  const duration = event.getFirstPropertyValue('duration');
  if (duration instanceof ICAL.Duration) return start.epoch + duration.toSeconds();
  if (start.isDate) return start.epoch + SECONDS_PER_DAY;
  throw new ParserError('no DTEND or DURATION');
}

function mailStamp(ctx: ParserContext): number {
  const date = ctx.notification.parts.find((p) => p.type === 'email-header-date');
  if (typeof date?.content === 'string') {
    try {
      return mailDateToEpoch(date.content);
    } catch {
      // fall through to the error below
    }
  }
  throw new ParserError('no DTSTAMP (and no readable mail Date header to stand in)');
}

/**
 * A DATE / DATE-TIME property as UTC epoch seconds: "Z" is UTC; a TZID that is an IANA or
 * Windows zone name is that zone; any other TZID uses the calendar's VTIMEZONE of that id
 * (RFC 5545 3.2.19), else the name as an abbreviation or display name (resolveZone); a
 * floating time uses X-WR-TIMEZONE, else UTC (the reference reads naive times as UTC).
 */
function dateProperty(event: Component, name: string, scope: CalendarScope): { epoch: number; isDate: boolean } | undefined {
  const prop = event.getFirstProperty(name);
  if (!prop) return undefined;
  const label = name.toUpperCase();
  let value: unknown;
  try {
    value = prop.getFirstValue();
  } catch (err) {
    throw new ParserError(`${label} is not a valid date-time (${messageOf(err)})`);
  }
  if (!(value instanceof ICAL.Time)) throw new ParserError(`${label} is not a date-time ("${String(value)}")`);
  if (!isValidTime(value)) throw new ParserError(`${label} is not a valid date-time`);
  const wall = Date.UTC(value.year, value.month - 1, value.day, value.hour, value.minute, value.second) / 1000;
  if (value.zone === ICAL.Timezone.utcTimezone) return { epoch: wall, isDate: value.isDate };
  const tzid = parameter(prop, 'tzid');
  if (tzid) {
    // An IANA or Windows name says everything; otherwise ("Customized Time Zone", "EST",
    // "(UTC+01:00) ...") the calendar's own VTIMEZONE defines the zone, and the name is the
    // last resort.
    const named = isExactZoneName(tzid) ? resolveZone(tzid) : undefined;
    if (named) return { epoch: localToEpoch(wallParts(value), named), isDate: value.isDate };
    const vtz = vtimezone(tzid, scope);
    if (vtz) {
      try {
        return { epoch: wall - vtz.utcOffset(value), isDate: value.isDate };
      } catch {
        // a VTIMEZONE ical.js cannot evaluate: fall back to the zone's name below
      }
    }
    const zone = resolveZone(tzid);
    if (!zone) throw new ParserError(`${label}: unknown TZID "${tzid}" (no usable VTIMEZONE and not a known zone name)`);
    return { epoch: localToEpoch(wallParts(value), zone), isDate: value.isDate };
  }
  if (scope.floatingZone) return { epoch: localToEpoch(wallParts(value), scope.floatingZone), isDate: value.isDate };
  return { epoch: wall, isDate: value.isDate };
}

function isValidTime(t: Time): boolean {
  return (
    Number.isInteger(t.year) && t.year >= 1970 && t.year <= 9999 &&
    t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= 31 &&
    t.hour >= 0 && t.hour <= 23 && t.minute >= 0 && t.minute <= 59 && t.second >= 0 && t.second <= 60
  );
}

function wallParts(t: Time): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  return { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second };
}

function vtimezone(tzid: string, scope: CalendarScope): Timezone | undefined {
  if (!scope.built.has(tzid)) {
    const component = scope.vtimezones.get(tzid);
    scope.built.set(tzid, component ? buildTimezone(component, tzid) : null);
  }
  return scope.built.get(tzid) ?? undefined;
}

/**
 * VTIMEZONEs by their text: ical.js expands a zone's rules from their DTSTART (Outlook
 * writes 1601) on first use, which costs milliseconds, and the same definitions come in
 * every mail of a sender. Bounded, since the text comes from untrusted mail.
 */
const timezoneCache = new Map<string, Timezone | null>();
const TIMEZONE_CACHE_LIMIT = 64;
/** Observances starting earlier than this are not expanded (ical.js iterates year by year). */
const EARLIEST_OBSERVANCE_YEAR = 1500;

function buildTimezone(component: Component, tzid: string): Timezone | null {
  const key = component.toString();
  const cached = timezoneCache.get(key);
  if (cached !== undefined) return cached;
  let tz: Timezone | null = null;
  try {
    if (isSaneTimezone(component)) tz = new ICAL.Timezone({ component, tzid });
  } catch {
    // a garbled observance: the TZID's name decides instead
    tz = null;
  }
  if (timezoneCache.size >= TIMEZONE_CACHE_LIMIT) timezoneCache.clear();
  timezoneCache.set(key, tz);
  return tz;
}

/**
 * Real VTIMEZONE observances recur at most yearly, once a year; anything else (FREQ=SECONDLY
 * from 1601, BYDAY lists) would have ical.js iterate for minutes, so such a definition is
 * not used and the TZID's name decides.
 */
function isSaneTimezone(component: Component): boolean {
  const observances = component.getAllSubcomponents();
  if (observances.length === 0) return false;
  for (const observance of observances) {
    const start = observance.getFirstPropertyValue('dtstart');
    if (!(start instanceof ICAL.Time) || start.year < EARLIEST_OBSERVANCE_YEAR) return false;
    for (const prop of observance.getAllProperties('rrule')) {
      const rule = prop.getFirstValue();
      if (!(rule instanceof ICAL.Recur) || rule.freq !== 'YEARLY') return false;
      const parts = rule.parts as Record<string, unknown[] | undefined>;
      if ((parts.BYMONTH?.length ?? 0) > 1 || (parts.BYDAY?.length ?? 0) > 1 || (parts.BYYEARDAY?.length ?? 0) > 1) return false;
    }
  }
  return true;
}

function parameter(prop: Property, name: string): string | undefined {
  const value = prop.getParameter(name);
  if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** A property's value as text; X- properties come raw from ical.js, so TEXT escapes are undone here. */
function propertyText(prop: Property): string | undefined {
  const value = prop.getFirstValue();
  if (value === null || value === undefined) return undefined;
  const text = String(value);
  return prop.type === 'unknown' ? unescapeText(text) : text;
}

function textOf(event: Component, name: string): string | undefined {
  const prop = event.getFirstProperty(name);
  return prop ? propertyText(prop) : undefined;
}

function stringValue(event: Component, name: string): string | undefined {
  const value = event.getFirstPropertyValue(name);
  return value === null || value === undefined ? undefined : String(value);
}

/** Identifiers (ids, accounts, circuits) are keys: surrounding blanks are noise. */
function identifier(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

function unescapeText(value: string): string {
  return value.replace(TEXT_ESCAPE, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** The message alone: reasons are read by operators, and the wrapper already names the context. */
function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
