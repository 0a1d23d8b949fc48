import { ParserError } from '../core/errors';
import { resolveZone, fromFormat } from '../core/zones';
import type { Parser } from '../core/types';
import { emailSubjectSummaryParser } from './common';

// Apple peering NOC notices (plain text): "Reference Internal Ticket: CHG000123456",
// "Start Time: 2 May 2023 14:00 UTC" / "End Time: ..." (US notices; EU ones write
// "2023-05-02(Tue) 14:00 UTC"), "Peer AS: 12345" (the peering session is the "circuit").
// The notices name no customer account and carry no issue time: like the reference library,
// the account is a fixed placeholder and the stamp is the window start.

const TICKET = /\bCHG\d+/;
const PEER_AS = /Peer AS:\s*(?:AS)?(\d+)/i;
const START = /Start Time:\s*([^\n]+)/i;
const END = /End Time:\s*([^\n]+)/i;
/** What Apple writes when the notice names no customer. */
const NO_ACCOUNT = 'Customer info unavailable';
/** Date layouts of Apple's notices, without the trailing zone. */
const FORMATS = ['d MMM yyyy HH:mm', 'd MMM yyyy HH:mm:ss', 'EEE, d MMM yyyy HH:mm', 'EEE, d MMM yyyy HH:mm:ss', "yyyy-MM-dd'('EEE')' HH:mm", 'yyyy-MM-dd HH:mm'];

/** Apple notice text: ticket, window and the peer AS. */
export const appleTextParser: Parser = {
  name: 'apple-text',
  dataTypes: ['text'],
  parse: (part) => {
    const text = String(part.content);
    const ticket = TICKET.exec(text);
    if (!ticket) throw new ParserError('no CHG ticket number');
    const peer = PEER_AS.exec(text);
    if (!peer) throw new ParserError('no "Peer AS:" line');
    const start = toEpoch(START.exec(text)?.[1], 'Start Time');
    const end = toEpoch(END.exec(text)?.[1], 'End Time');
    return [
      {
        maintenance_id: ticket[0],
        circuits: [{ circuit_id: `AS${peer[1]}`, impact: 'OUTAGE' }],
        start,
        end,
        stamp: start,
        status: 'CONFIRMED',
        account: NO_ACCOUNT,
      },
    ];
  },
};

/** A zone at the end of the last word: "UTC", "CEST", "+0200", "-05:00" (may be glued to the time: "14:00UTC"). */
const TRAILING_ZONE = /(?:[A-Za-z]{2,5}|[+-]\d{2}:?\d{2})$/;

/**
 * The wall-clock text and the zone of "2 May 2023 14:00 UTC". Only the last word is looked
 * at for a zone: a single regex over the whole value ("(.*?)\s*(zone)?\s*$") backtracks
 * cubically on a long run of blanks (seconds for 2 KB, never ending for 100 KB).
 */
function splitZone(value: string): { local: string; zone?: string } {
  let cut = value.length - 1;
  while (cut >= 0 && !/\s/.test(value[cut])) cut--;
  const word = value.slice(cut + 1);
  const m = TRAILING_ZONE.exec(word);
  // A zone glued to the time must follow a digit ("14:00UTC"); a whole word must be all zone.
  if (!m || (m.index > 0 && !/\d/.test(word[m.index - 1]))) return { local: value };
  return { local: (value.slice(0, cut + 1) + word.slice(0, m.index)).trimEnd(), zone: m[0] };
}

function toEpoch(value: string | undefined, label: string): number {
  if (!value) throw new ParserError(`no "${label}:" line`);
  const { local, zone: written } = splitZone(value.trim());
  const zone = written ? resolveZone(written) : 'UTC';
  if (!zone) throw new ParserError(`unknown time zone in ${label} "${value}"`);
  for (const format of FORMATS) {
    const dt = fromFormat(local, format, { zone, locale: 'en' });
    if (dt.isValid) return Math.floor(dt.toSeconds());
  }
  throw new ParserError(`unreadable ${label} "${value}"`);
}

/** Apple subject ("Apple (AS714) Net Maintenance Notice for AS12345 in Chicago") as the summary. */
export const appleSubjectParser: Parser = { ...emailSubjectSummaryParser, name: 'apple-subject' };
