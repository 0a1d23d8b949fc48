import { DateTime, IANAZone, type DateTimeOptions } from 'luxon';
import { findIana } from 'windows-iana';
import { lookupViaCity } from 'city-timezones';

/**
 * Zone names that are neither IANA nor Windows names but appear in provider mail.
 * Hand-written because no library maps these: abbreviations are ambiguous in general
 * (IST, CST), so this lists only the readings providers use, each to a DST-aware zone.
 */
const ABBREVIATIONS: Record<string, string> = {
  UTC: 'UTC', GMT: 'UTC', Z: 'UTC', UT: 'UTC', ZULU: 'UTC',
  EASTERN: 'America/New_York', ET: 'America/New_York', EST: 'America/New_York', EDT: 'America/New_York',
  CENTRAL: 'America/Chicago', CT: 'America/Chicago', CST: 'America/Chicago', CDT: 'America/Chicago',
  MOUNTAIN: 'America/Denver', MT: 'America/Denver', MST: 'America/Denver', MDT: 'America/Denver',
  PACIFIC: 'America/Los_Angeles', PT: 'America/Los_Angeles', PST: 'America/Los_Angeles', PDT: 'America/Los_Angeles',
  'CENTRAL EUROPEAN': 'Europe/Paris', 'CENTRAL EUROPEAN SUMMER': 'Europe/Paris',
  CET: 'Europe/Paris', CEST: 'Europe/Paris', MET: 'Europe/Paris', MEST: 'Europe/Paris',
  WET: 'Europe/Lisbon', WEST: 'Europe/Lisbon', BST: 'Europe/London',
  EET: 'Europe/Athens', EEST: 'Europe/Athens',
  HKT: 'Asia/Hong_Kong', SGT: 'Asia/Singapore', JST: 'Asia/Tokyo', KST: 'Asia/Seoul',
  AEST: 'Australia/Sydney', AEDT: 'Australia/Sydney', ACST: 'Australia/Adelaide', AWST: 'Australia/Perth',
  NZST: 'Pacific/Auckland', NZDT: 'Pacific/Auckland',
};

/** Resolved names, so a zone written the same way in every mail is looked up once. */
const cache = new Map<string, string | undefined>();
/** Bounds the cache: zone names come from untrusted mail. */
const CACHE_LIMIT = 2000;
/** Longer than any real zone or display name; the lookups below are not meant for megabytes. */
const MAX_ZONE_NAME_LENGTH = 160;

/**
 * Resolves a zone as written in a notice (IANA name, Windows name such as
 * "Eastern Standard Time", abbreviation such as "ET" or "CET", or a fixed offset
 * such as "+02:00" / "UTC+2") to a zone luxon understands. Undefined when unknown.
 */
export function resolveZone(name: string | undefined | null): string | undefined {
  if (!name) return undefined;
  const raw = name.trim().replace(/^"|"$/g, '').trim();
  if (!raw || raw.length > MAX_ZONE_NAME_LENGTH) return undefined;
  if (cache.has(raw)) return cache.get(raw);
  const zone = lookup(raw);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(raw, zone);
  return zone;
}

function lookup(raw: string): string | undefined {
  // Abbreviations first: several (EST, MST, CET, EET, WET, MET) are also legacy IANA zones,
  // but providers mean the region's local time, DST included.
  const upper = raw.toUpperCase().replace(/\s+/g, ' ');
  if (ABBREVIATIONS[upper]) return ABBREVIATIONS[upper];
  if (IANAZone.isValidZone(raw)) return raw;
  const offset = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(raw);
  if (offset) return fixedZone(offset[1] === '-' ? -1 : 1, Number(offset[2]) * 60 + Number(offset[3] ?? 0));
  try {
    const iana = findIana(raw);
    if (iana && iana.length > 0) return iana[0];
  } catch {
    // not a Windows zone name either
  }
  // "Eastern Time", "Pacific Daylight Time" (after the Windows names: "GMT Standard Time" is London).
  const spelled = ABBREVIATIONS[upper.replace(/ (?:STANDARD |DAYLIGHT )?TIME$/, '')];
  if (spelled) return spelled;
  // Calendar software prefixes IANA names with a vendor path ("/mozilla.org/20050126_1/Europe/Berlin").
  const path = /([A-Za-z]+\/[A-Za-z_+-]+(?:\/[A-Za-z_+-]+)?)$/.exec(raw);
  if (path && raw.includes('/') && path[1] !== raw && IANAZone.isValidZone(path[1])) return path[1];
  // Outlook display names: "(UTC+01:00) Amsterdam, Berlin, Bern, ..." or "(UTC-05:00) Eastern Time (US & Canada)".
  const display = /^\((?:UTC|GMT)(?:([+-])(\d{2}):?(\d{2}))?\)\s*(.+)$/i.exec(raw);
  if (display) {
    const minutes = display[1] ? (display[1] === '-' ? -1 : 1) * (Number(display[2]) * 60 + Number(display[3])) : 0;
    return displayNameZone(display[4], minutes) ?? fixedZone(Math.sign(minutes) || 1, Math.abs(minutes));
  }
  return undefined;
}

/** The zone of a display name's region or first listed city whose standard offset is the one stated. */
function displayNameZone(names: string, standardMinutes: number): string | undefined {
  const region = names.replace(/\s*\([^)]*\)\s*$/, '');
  const candidates = [region, ...region.split(/\s*[,/]\s*/)].filter(Boolean);
  for (const candidate of candidates) {
    const direct = ABBREVIATIONS[candidate.toUpperCase().replace(/ (?:STANDARD |DAYLIGHT )?TIME$/, '')];
    if (direct && standardOffset(direct) === standardMinutes) return direct;
    for (const city of lookupViaCity(candidate)) {
      if (IANAZone.isValidZone(city.timezone) && standardOffset(city.timezone) === standardMinutes) return city.timezone;
    }
  }
  return undefined;
}

/** A zone's offset outside DST in the current year (the smaller of January and July, south included). */
function standardOffset(zone: string): number {
  const year = DateTime.utc().year;
  const jan = DateTime.fromObject({ year, month: 1, day: 15 }, { zone }).offset;
  const jul = DateTime.fromObject({ year, month: 7, day: 15 }, { zone }).offset;
  return Math.min(jan, jul);
}

function fixedZone(sign: number, minutes: number): string {
  if (minutes === 0) return 'UTC';
  return `UTC${sign < 0 ? '-' : '+'}${Math.floor(minutes / 60)}${minutes % 60 ? ':' + String(minutes % 60).padStart(2, '0') : ''}`;
}

/**
 * True when the name itself fixes a zone with its full DST history: an IANA name (also
 * behind a vendor path such as "/mozilla.org/.../Europe/Berlin") or a Windows zone name.
 * Abbreviations, offsets and display names are not: an iCalendar VTIMEZONE beats them.
 */
export function isExactZoneName(name: string | undefined | null): boolean {
  const raw = name?.trim().replace(/^"|"$/g, '').trim();
  if (!raw || raw.length > MAX_ZONE_NAME_LENGTH) return false;
  if (ABBREVIATIONS[raw.toUpperCase()]) return false;
  if (IANAZone.isValidZone(raw)) return true;
  try {
    if (findIana(raw)?.length) return true;
  } catch {
    // not a Windows name
  }
  const path = /([A-Za-z]+\/[A-Za-z_+-]+(?:\/[A-Za-z_+-]+)?)$/.exec(raw);
  return !!path && path[1] !== raw && IANAZone.isValidZone(path[1]);
}

/** Epoch seconds of a wall-clock time in a zone (resolveZone names). Throws on an unknown zone. */
export function localToEpoch(
  parts: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number },
  zone: string,
): number {
  const z = resolveZone(zone);
  if (!z) throw new Error(`unknown time zone "${zone}"`);
  if (z === 'UTC') {
    // Most notices give UTC/GMT: plain arithmetic, no Intl zone lookups (luxon's cost).
    const { year, month, day, hour = 0, minute = 0, second = 0 } = parts;
    const ms = Date.UTC(year, month - 1, day, hour, minute, second);
    const check = new Date(ms);
    if (Number.isNaN(ms) || check.getUTCDate() !== day || check.getUTCMonth() !== month - 1 || hour > 23 || minute > 59 || second > 59) {
      throw new Error(`invalid local time ${JSON.stringify(parts)} in UTC`);
    }
    return Math.floor(ms / 1000);
  }
  const dt = DateTime.fromObject(parts, { zone: z });
  if (!dt.isValid) throw new Error(`invalid local time ${JSON.stringify(parts)} in ${z}: ${dt.invalidExplanation}`);
  return Math.floor(dt.toSeconds());
}

/** No date header is longer; anything longer is damage, not a date. */
const MAX_DATE_LENGTH = 200;

const RFC2822_WITH_ZONE =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|GMT|UT)$/;

/** Epoch seconds of an RFC 2822 / RFC 822 mail Date header (or an ISO date). Throws when unreadable. */
export function mailDateToEpoch(value: string): number {
  // Blanks collapsed first: on a raw header, /\s+\(/ retried at every blank of a long run is
  // quadratic (a damaged Date header of 300 kB of spaces took minutes).
  const collapsed = value.replace(/\s+/g, ' ').trim();
  if (collapsed.length > MAX_DATE_LENGTH) throw new Error(`unreadable date "${collapsed.slice(0, 60)}..." (${collapsed.length} characters)`);
  const cleaned = collapsed.replace(/ \([^()]*\)$/, '');
  // The common, exact form (explicit numeric offset or GMT/UT) is what Date.parse reads
  // correctly and fast; anything else goes through luxon's strict RFC 2822 / ISO readers.
  if (RFC2822_WITH_ZONE.test(cleaned)) {
    const ms = Date.parse(cleaned);
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
  }
  let dt = DateTime.fromRFC2822(cleaned, { zone: 'UTC' });
  if (!dt.isValid) dt = DateTime.fromISO(cleaned, { zone: 'UTC' });
  if (dt.isValid) return Math.floor(dt.toSeconds());
  const ms = Date.parse(cleaned);
  if (Number.isNaN(ms)) throw new Error(`unreadable date "${value}"`);
  return Math.floor(ms / 1000);
}

const formatParsers = new Map<string, ReturnType<typeof DateTime.buildFormatParser>>();

/**
 * DateTime.fromFormat with the format compiled once per (format, locale): luxon tokenises
 * the format string on every fromFormat call, which dominated date parsing in the benchmark.
 */
export function fromFormat(text: string, format: string, options: DateTimeOptions = {}): DateTime {
  const key = `${options.locale ?? ''}\u0000${format}`;
  let parser = formatParsers.get(key);
  if (!parser) {
    parser = DateTime.buildFormatParser(format, { locale: options.locale });
    formatParsers.set(key, parser);
  }
  return DateTime.fromFormatParser(text, parser, options);
}
