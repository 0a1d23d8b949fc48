import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { DateTime } from 'luxon';
import { ParserError } from '../core/errors';
import type { Parser, PartialMaintenance } from '../core/types';

// Netflix Open Connect (cdnetops@…netflix.com) peering notices are plain text:
//   "<peer> (AS65000),"
//   "Netflix (AS2906) will be performing scheduled maintenance in <site>, at 2024-01-31 18:00:00+00:00 UTC."
//   "Expected downtime will be approximately 60 minutes."
//   "Your IPs:" followed by one peering address per line.
// Netflix sends no ticket number.

const PEER_LINE = /\((AS\d+)\),\s*$/;
const START = /(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)\s*(Z|[+-]\d{2}:?\d{2})?/;
const DURATION_PART = /(\d+)\s*(hour|hr|minute|min)s?\b/gi;

/** Netflix peering notice (text body): one maintenance, the peer's addresses as circuits. */
export const netflixTextParser: Parser = {
  name: 'netflix-text',
  dataTypes: ['text'],
  parse: (part) => {
    const lines = String(part.content).split(/\r?\n/);
    const record: PartialMaintenance = { status: 'CONFIRMED' };
    let start: number | undefined;
    let downtime: number | undefined;
    for (const line of lines) {
      const peer = PEER_LINE.exec(line);
      if (peer && !record.account) record.account = peer[1];
      if (line.includes(' maintenance in ') && record.summary === undefined) {
        record.summary = line.trim();
        start = startOf(line);
      }
      if (/downtime/i.test(line) && downtime === undefined) downtime = durationOf(line);
    }
    if (start === undefined) throw new ParserError('not a Netflix notice: no "maintenance in <site>, at <time>" line');
    if (!downtime) throw new ParserError('Netflix notice: no "Expected downtime" duration');

    const ipLines = addressLines(lines);
    const end = start + downtime;
    record.start = start;
    record.end = end;
    record.circuits = ipLines.map((line) => ({ circuit_id: line.trim(), impact: 'OUTAGE' as const }));
    record.maintenance_id = derivedId(ipLines, start, end);
    return [record];
  },
};

/** "… at 2024-01-31 18:00:00+00:00 UTC." (an offset-less time is UTC). */
function startOf(line: string): number | undefined {
  const m = START.exec(line);
  if (!m) return undefined;
  const dt = DateTime.fromISO(`${m[1]}T${m[2]}${m[3] ?? ''}`, { zone: 'UTC' });
  return dt.isValid ? Math.floor(dt.toSeconds()) : undefined;
}

/** "approximately 60 minutes", "2 hours", "1 hour 30 minutes" in seconds. */
function durationOf(line: string): number | undefined {
  let seconds = 0;
  for (const m of line.matchAll(DURATION_PART)) {
    seconds += Number(m[1]) * (m[2].toLowerCase().startsWith('h') ? 3600 : 60);
  }
  return seconds || undefined;
}

/**
 * The peering addresses: the lines after "Your IPs:" up to the first other line; a notice
 * without that heading gives every line that is only an address.
 */
function addressLines(lines: string[]): string[] {
  const heading = lines.findIndex((l) => /^\s*your ips\s*:/i.test(l));
  if (heading >= 0) {
    const out: string[] = [];
    for (const line of lines.slice(heading + 1)) {
      if (!line.trim()) {
        if (out.length > 0) break;
        continue;
      }
      if (!isIP(line.trim())) break;
      out.push(line);
    }
    return out;
  }
  return lines.filter((l) => isIP(l.trim()) !== 0);
}

/**
 * Netflix sends no ticket id. circuit-maintenance-parser hashes each address line exactly
 * as written (indentation included), then start and end; using the same SHA-256 keeps ids
 * equal to that library's, so a notice and its update map to one maintenance.
 */
function derivedId(ipLines: string[], start: number, end: number): string {
  const input = ipLines.map((l) => `${l}/`).join('') + `${start}/${end}`;
  return createHash('sha256').update(input, 'utf8').digest('hex');
}
