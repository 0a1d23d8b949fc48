import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { CircuitImpact } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import type { Parser, PartialMaintenance } from '../core/types';
import { fromFormat } from '../core/zones';
import { htmlCheerio } from '../core/html';

// Google peering NOC notices (ISP Portal): a heading "<logo> Network Maintenance
// Notification - Reference <id>", bold labels "Start Time:" / "End Time:" followed by
// "2023-12-05 20:55:00 +0000 UTC", and a table of label / value cells: Peer ASN (the
// account) and one row per BGP session, Google / Peer Neighbor Address(es).

const REFERENCE = /-\s*Reference\s+(\S+)\s*$/;
/** "2023-12-05 20:55:00 +0000 UTC": the numeric offset is authoritative. */
const TIME_FORMAT = 'yyyy-MM-dd HH:mm:ss ZZZ';

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** The heading: the innermost <div> whose own text ends with "- Reference <id>". */
function readHeading($: CheerioAPI): { summary: string; maintenance_id: string } {
  for (const div of $('div').toArray()) {
    if (div.children.some((c) => c.type === 'tag' && c.name === 'div')) continue;
    // The logo is one span per letter; the title is the div's own text after it.
    const ownText = squash(div.children.map((n) => (n.type === 'text' ? n.data : ' ')).join(''));
    const match = REFERENCE.exec(ownText);
    if (match) return { summary: ownText, maintenance_id: match[1] };
  }
  throw new ParserError('no "... - Reference <id>" heading');
}

/** The table cell after the one holding an element (plain DOM: no selector per label). */
function nextCell(el: Element): Element | undefined {
  let cell: AnyNode | null = el;
  while (cell && !(cell.type === 'tag' && cell.name === 'td')) cell = cell.parent;
  for (let n = cell?.next; n; n = n.next) if (n.type === 'tag' && n.name === 'td') return n;
  return undefined;
}

/** The text right after a bold "Start Time:" / "End Time:" label. */
function readTime($: CheerioAPI, label: Element, what: string): number {
  const value = label.next ? squash($(label.next).text()) : '';
  const dt = fromFormat(value.replace(/\s+UTC$/i, ''), TIME_FORMAT, { setZone: true });
  if (!dt.isValid) throw new ParserError(`unreadable ${what} "${value}"`);
  return Math.floor(dt.toSeconds());
}

/** Google peering maintenance notice body: one maintenance, one circuit per BGP session. */
export const googleHtmlParser: Parser = {
  name: 'google-html',
  dataTypes: ['html'],
  parse: (part) => {
    const $ = htmlCheerio(part);
    const record: PartialMaintenance = { status: 'CONFIRMED', ...readHeading($) };
    const circuits: CircuitImpact[] = [];
    let googleAddress: string | undefined;
    for (const span of $('span').toArray()) {
      const label = squash($(span).text());
      // Table labels sit in a cell of their own; the value is the next cell.
      const cellValue = (): string => squash($(nextCell(span)).text());
      if (label === 'Start Time:') record.start = readTime($, span, 'Start Time');
      else if (label === 'End Time:') record.end = readTime($, span, 'End Time');
      else if (label === 'Peer ASN:') record.account = cellValue() || undefined;
      else if (label === 'Google Neighbor Address(es):') googleAddress = cellValue();
      else if (label === 'Peer Neighbor Address(es):') {
        if (!googleAddress) throw new ParserError('a Peer Neighbor Address without its Google Neighbor Address');
        circuits.push({ circuit_id: `${googleAddress}-${cellValue()}`, impact: 'OUTAGE' });
        googleAddress = undefined;
      }
    }
    if (record.start === undefined || record.end === undefined) throw new ParserError('no Start Time / End Time');
    record.circuits = circuits;
    return [record];
  },
};
