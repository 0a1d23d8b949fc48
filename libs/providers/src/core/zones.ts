import { DateTime, IANAZone } from 'luxon';
import { findIana } from 'windows-iana';

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
  CET: 'Europe/Paris', CEST: 'Europe/Paris', MET: 'Europe/Paris', MEST: 'Europe/Paris',
  WET: 'Europe/Lisbon', WEST: 'Europe/Lisbon', BST: 'Europe/London',
  EET: 'Europe/Athens', EEST: 'Europe/Athens',
  HKT: 'Asia/Hong_Kong', SGT: 'Asia/Singapore', JST: 'Asia/Tokyo', KST: 'Asia/Seoul',
  AEST: 'Australia/Sydney', AEDT: 'Australia/Sydney', ACST: 'Australia/Adelaide', AWST: 'Australia/Perth',
  NZST: 'Pacific/Auckland', NZDT: 'Pacific/Auckland',
};

/**
 * Resolves a zone as written in a notice (IANA name, Windows name such as
 * "Eastern Standard Time", abbreviation such as "ET" or "CET", or a fixed offset
 * such as "+02:00" / "UTC+2") to a zone luxon understands. Undefined when unknown.
 */
export function resolveZone(name: string | undefined | null): string | undefined {
  if (!name) return undefined;
  const raw = name.trim().replace(/^"|"$/g, '');
  if (!raw) return undefined;
  if (IANAZone.isValidZone(raw)) return raw;
  const upper = raw.toUpperCase();
  if (ABBREVIATIONS[upper]) return ABBREVIATIONS[upper];
  const offset = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(raw);
  if (offset) {
    const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
    return minutes === 0 ? 'UTC' : `UTC${offset[1]}${Math.floor(minutes / 60)}${minutes % 60 ? ':' + String(minutes % 60).padStart(2, '0') : ''}`;
  }
  try {
    const iana = findIana(raw);
    if (iana && iana.length > 0) return iana[0];
  } catch {
    // not a Windows zone name either
  }
  // "(UTC-05:00) Eastern Time (US & Canada)" and similar Outlook display names
  const paren = /\(UTC([+-]\d{2}:\d{2})?\)\s*(.+)$/.exec(raw);
  if (paren) return resolveZone(paren[2]) ?? resolveZone(paren[1] ?? 'UTC');
  return undefined;
}

/** Epoch seconds of a wall-clock time in a zone (resolveZone names). Throws on an unknown zone. */
export function localToEpoch(
  parts: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number },
  zone: string,
): number {
  const z = resolveZone(zone);
  if (!z) throw new Error(`unknown time zone "${zone}"`);
  const dt = DateTime.fromObject(parts, { zone: z });
  if (!dt.isValid) throw new Error(`invalid local time ${JSON.stringify(parts)} in ${z}: ${dt.invalidExplanation}`);
  return Math.floor(dt.toSeconds());
}

/** Epoch seconds of an RFC 2822 / RFC 822 mail Date header (or an ISO date). Throws when unreadable. */
export function mailDateToEpoch(value: string): number {
  const cleaned = value.trim().replace(/\s+\([^)]*\)\s*$/, '');
  let dt = DateTime.fromRFC2822(cleaned, { zone: 'UTC' });
  if (!dt.isValid) dt = DateTime.fromISO(cleaned, { zone: 'UTC' });
  if (dt.isValid) return Math.floor(dt.toSeconds());
  const ms = Date.parse(cleaned);
  if (Number.isNaN(ms)) throw new Error(`unreadable date "${value}"`);
  return Math.floor(ms / 1000);
}
