import { cityMapping, type CityData } from 'city-timezones';
import { DateTime } from 'luxon';
import type { CircuitImpact, MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import type { Parser, PartialMaintenance } from '../core/types';
import { resolveZone } from '../core/zones';
import { elementsNamed, htmlDocument, textOf, textWithBreaks } from '../core/html';

/** Elements that end a line, and those left out of the text (the title is read apart). */
const BLOCKS = new Set(['p', 'div', 'tr', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const NOT_TEXT = new Set(['style', 'script', 'title']);

// Cogent notices are line-oriented, in HTML (<br> separated) or plain text:
//   ASR9K Code Upgrade Planned Network Maintenance
//   Dear Cogent Customer,
//   Start time: 12:00 AM (local time) 06/12/2021      (or "10:00pm CT 11/19/2022")
//   End time: 06:00 AM (local time) 06/12/2021
//   Work order number: VN16123
//   Order ID(s) impacted: 1-300123456, 1-300123457
//   Cogent customers receiving service in the greater San Jose, CA metro area will be ...
// "(local time)" is the time at the named city, so the city gives the time zone (offline,
// from the city-timezones table). The subject (or the HTML <title>) tells the status.

/** "Start time: 12:00 AM (local time) 06/12/2021" / "End time: 5:00am CT 11/20/2022". */
const TIME_LINE = /^(Start|End) time:\s*(\d{1,2}:\d{2}\s*[AaPp][Mm])\s*(?:\(([^)]*)\)|([A-Za-z]{1,5}))?\s+(\d{1,2})\/(\d{1,2})\/(\d{4})/i;
const WORK_ORDER = /^Work order number:\s*(\S.*)$/i;
const ORDER_IDS = /^Order ID\(s\) impacted:\s*(.*)$/i;
const GREETING = /^Dear\s+(.+?),/;
/** "... receiving service in [the greater] San Jose, CA metro area ..." -> city, region. */
const SERVICE_AREA =
  /receiving service in (?:the (?:greater )?)?((?:[A-Z][\w.'’-]*\s)*?[A-Z][\w.'’-]*),\s*([A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]+)*)/;
const SERVICE_AREA_LINE = /^Cogent customers receiving service/i;
const HEADING = /maintenance$/i;
const SUBJECT_LINE = /^subject:/i;
const CORRECTION = /(^|\s)correction\b/;
/** The order ID a subject ends with: "... - Edina, MN 1-300123456". */
const TRAILING_ORDER_ID = /\s([\d-]*\d)$/;
/** "12:00AM" / "10:00PM" (spaces removed, upper-cased). */
const CLOCK = /^(\d{1,2}):(\d{2})(AM|PM)$/;

/** One Start/End line: the clock time, the zone as written, and the date's two leading fields. */
interface CogentTime {
  clock: string;
  zone?: string;
  first: number;
  second: number;
  year: number;
}

function timeOf(match: RegExpExecArray): CogentTime {
  return {
    clock: match[2].replace(/\s+/g, '').toUpperCase(),
    zone: match[4] ?? match[3],
    first: Number(match[5]),
    second: Number(match[6]),
    year: Number(match[7]),
  };
}

/**
 * Epoch of a Start/End time. Cogent, a US carrier, writes month/day/year: "11/3/2022" in a
 * notice sent on 3 Nov 2022, "06/12/2021" in one sent on 24 May 2021 (a Saturday-night window
 * three weeks on). The reference library reads these day-first (6 December); Maintwatch follows
 * the provider (README, "Where Maintwatch deliberately differs"). A date whose first field
 * cannot be a month is read day-first rather than refused.
 */
function epochOf(time: CogentTime, zone: string): number {
  const [month, day] = time.first > 12 && time.second <= 12 ? [time.second, time.first] : [time.first, time.second];
  const clock = CLOCK.exec(time.clock);
  if (!clock) throw new ParserError(`unreadable Cogent time "${time.clock}"`);
  const hour = (Number(clock[1]) % 12) + (clock[3] === 'PM' ? 12 : 0);
  const dt = DateTime.fromObject({ year: time.year, month, day, hour, minute: Number(clock[2]) }, { zone });
  if (!dt.isValid) throw new ParserError(`invalid Cogent date ${time.first}/${time.second}/${time.year}`);
  return Math.floor(dt.toSeconds());
}

let cityIndex: Map<string, CityData[]> | undefined;

/** Cities by lower-case name (both spellings), built on first use. */
function citiesNamed(name: string): CityData[] {
  if (!cityIndex) {
    cityIndex = new Map();
    for (const city of cityMapping) {
      for (const key of new Set([city.city.toLowerCase(), city.city_ascii.toLowerCase()])) {
        const list = cityIndex.get(key);
        if (list) list.push(city);
        else cityIndex.set(key, [city]);
      }
    }
  }
  return cityIndex.get(name.toLowerCase()) ?? [];
}

const inRegion = (city: CityData, region: string): boolean =>
  [city.state_ansi, city.province, city.country, city.iso2, city.iso3].some((v) => typeof v === 'string' && v.toLowerCase() === region);

const mostPopulous = (cities: CityData[]): CityData | undefined =>
  cities.reduce<CityData | undefined>((best, c) => (!best || c.pop > best.pop ? c : best), undefined);

/**
 * IANA zone of "City, Region" (region: US state code, province, country or ISO code):
 * the city in that region, else the region's largest city (a town too small for the
 * table), else the largest city of that name.
 */
export function cityZone(city: string, region: string): string | undefined {
  const wanted = region.toLowerCase();
  const named = citiesNamed(city);
  const hit =
    mostPopulous(named.filter((c) => inRegion(c, wanted))) ??
    mostPopulous(cityMapping.filter((c) => inRegion(c, wanted))) ??
    mostPopulous(named);
  return hit?.timezone;
}

/** The status a Cogent subject (or <title>) words; undefined when it words none. */
function statusFromSubject(subject: string): MaintenanceStatus | undefined {
  const lower = subject.toLowerCase();
  if (CORRECTION.test(lower) || lower.includes('rescheduled')) return 'RE-SCHEDULED';
  if (lower.includes('cancel')) return 'CANCELLED';
  if (lower.includes('completed')) return 'COMPLETED';
  if (lower.includes('planned') || lower.includes('provider') || lower.includes('emergency')) return 'CONFIRMED';
  return undefined;
}

/** Reads the Cogent notice lines (HTML or text body). */
function parseLines(lines: readonly string[]): PartialMaintenance {
  const record: PartialMaintenance = {};
  let start: CogentTime | undefined;
  let end: CogentTime | undefined;
  let area: RegExpExecArray | null = null;
  let areaLine: string | undefined;
  for (const line of lines) {
    let m: RegExpExecArray | null;
    if ((m = TIME_LINE.exec(line))) {
      if (m[1].toLowerCase() === 'start') start = timeOf(m);
      else end = timeOf(m);
    } else if ((m = WORK_ORDER.exec(line))) record.maintenance_id = m[1].trim();
    else if ((m = ORDER_IDS.exec(line))) {
      record.circuits = m[1]
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean)
        .map((circuit_id): CircuitImpact => ({ circuit_id, impact: 'OUTAGE' }));
    } else if (!record.account && (m = GREETING.exec(line))) record.account = m[1];
    else if (!areaLine && SERVICE_AREA_LINE.test(line)) {
      areaLine = line;
      area = SERVICE_AREA.exec(line);
    } else if (record.summary === undefined && HEADING.test(line) && !SUBJECT_LINE.test(line)) record.summary = line;
  }
  if (record.summary === undefined && areaLine) record.summary = areaLine;
  if (!record.maintenance_id) throw new ParserError('no "Work order number:" in the Cogent notice');
  if (!start || !end) throw new ParserError('no "Start time:" / "End time:" in the Cogent notice');

  const zoneOf = (time: CogentTime): string => {
    const written = time.zone ? resolveZone(time.zone) : undefined;
    if (written) return written;
    if (!area) throw new ParserError('Cogent times are local, and no "receiving service in <City>, <Region>" names the place');
    const zone = cityZone(area[1].trim(), area[2].trim());
    if (!zone) throw new ParserError(`no time zone known for "${area[1]}, ${area[2]}"`);
    return zone;
  };
  record.start = epochOf(start, zoneOf(start));
  record.end = epochOf(end, zoneOf(end));
  return record;
}

const toLines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean);

/** Cogent notice body (HTML): lines split at <br> and block ends; <title> tells the status when present. */
export const cogentHtmlParser: Parser = {
  name: 'cogent-html',
  dataTypes: ['html'],
  parse: (part) => {
    const doc = htmlDocument(part);
    const titles = elementsNamed(doc, 'title');
    const title = titles.length > 0 ? textOf(titles[0]).trim() : '';
    const record = parseLines(toLines(textWithBreaks(doc, BLOCKS, '\n', NOT_TEXT)));
    const status = statusFromSubject(title);
    if (status) record.status = status;
    return [record];
  },
};

/** Cogent notice body (plain text). */
export const cogentTextParser: Parser = {
  name: 'cogent-text',
  dataTypes: ['text'],
  parse: (part) => [parseLines(toLines(String(part.content)))],
};

/**
 * Cogent subject: the status ("Correction ..." / "Rescheduled" / "Cancellation" /
 * "Completed" / "Planned" / "Circuit Provider" / "Emergency"), and the order ID it ends with.
 */
export const cogentSubjectParser: Parser = {
  name: 'cogent-subject',
  dataTypes: ['email-header-subject'],
  parse: (part) => {
    const subject = String(part.content).trim();
    // A subject wording no known status is an update that changes nothing announced.
    const record: PartialMaintenance = { status: statusFromSubject(subject) ?? 'NO-CHANGE' };
    const trailing = TRAILING_ORDER_ID.exec(subject);
    if (trailing) record.circuits = [{ circuit_id: trailing[1], impact: 'OUTAGE' }];
    return [record];
  },
};
