import { inflateRawSync } from 'node:zlib';
import { DomUtils, parseDocument } from 'htmlparser2';
import type { AnyNode, Document, Element } from 'domhandler';
import { ParserError } from '../core/errors';
import { resolveZone, fromFormat } from '../core/zones';
import type { Parser, PartialMaintenance } from '../core/types';
import { splitLabel } from './common';
import { childElements, closestElement, elementsNamed, htmlDocument, textOf, textWithBreaks } from '../core/html';

/** The workbook's XML parts: htmlparser2 in XML mode (case-sensitive names), entities decoded. */
const XML_OPTIONS = { xmlMode: true, decodeEntities: true } as const;

/** Elements that end a line of the body; nothing is left out of its text. */
const BLOCKS = new Set(['p', 'div', 'tr', 'li']);
const NOTHING = new Set<string>();

// AT&T notices: the body lists "Event ID:", "Customer Impact Description:", "Summary:",
// "Description:", "Business Risk:" and "Start Time: March 31, 2025 14:00 GMT, End Time: ..."
// (GMT when no zone is written); the affected circuits come in an XLSX attachment whose
// header row names the columns, which differ by AT&T business unit.

/** A label: letters and spaces, starting with a letter. */
const LABEL = /^[A-Za-z][A-Za-z ]*$/;
/**
 * "March 31, 2025 14:00" at the start of a time; what follows (AM/PM, zone) is read from the
 * rest. No trailing "\s*(AM|PM)?\s*(.*)$": adjacent optional blanks before ".*" backtrack
 * over a long run of blanks.
 */
const WHEN = /^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?/i;
const MERIDIEM = /^(AM|PM)\b/i;

/** Spreadsheet columns per AT&T business unit: the account column and the circuit column. */
const SHEET_LAYOUTS = [
  { account: 'customer', circuit: 'circuit/asset', lec: true },
  { account: 'customer name', circuit: 'circuit id', lec: false },
  { account: 'customer names', circuit: 'customer circuit id', lec: false },
] as const;

/** AT&T notice body: event id, window and summary. */
export const attHtmlParser: Parser = {
  name: 'att-html',
  dataTypes: ['html'],
  parse: (part) => {
    const fields = readFields(htmlDocument(part));
    const id = fields.get('event id');
    const startText = fields.get('start time');
    const endText = fields.get('end time');
    if (!id) throw new ParserError('no "Event ID:" line');
    if (!startText || !endText) throw new ParserError('no "Start Time: ..., End Time: ..." line');
    const record: PartialMaintenance = {
      maintenance_id: id,
      start: toEpoch(startText),
      end: toEpoch(endText),
      status: 'CONFIRMED',
    };
    const summary = fields.get('summary');
    if (summary !== undefined) {
      record.summary = `${summary}: ${fields.get('customer impact description') ?? ''} ${fields.get('description') ?? ''}`;
    }
    return [record];
  },
};

/** AT&T circuit spreadsheet: the customer (account) and every circuit of the first sheet. */
export const attXlsxParser: Parser = {
  name: 'att-xlsx',
  dataTypes: ['xlsx'],
  parse: (part) => {
    if (!Buffer.isBuffer(part.content)) throw new ParserError('XLSX part is not binary');
    const rows = readFirstSheet(part.content).filter((r) => r.some((c) => c.trim() !== ''));
    if (rows.length < 2) throw new ParserError('spreadsheet has no circuit rows');
    const header = rows[0].map((h) => h.trim().toLowerCase());
    const first = rows[1];
    const layout = SHEET_LAYOUTS.find((l) => {
      const col = header.indexOf(l.account);
      return col >= 0 && (first[col] ?? '').trim() !== '';
    });
    if (!layout) throw new ParserError('spreadsheet names no customer and circuit column');
    const accountCol = header.indexOf(layout.account);
    const circuitCol = header.indexOf(layout.circuit);
    if (circuitCol < 0) throw new ParserError(`spreadsheet has no "${layout.circuit}" column`);
    const circuits = rows
      .slice(1)
      .map((r) => (r[circuitCol] ?? '').trim())
      .filter((c) => c !== '')
      .map((c) => ({ circuit_id: layout.lec ? normalizeLecCircuit(c) : c, impact: 'OUTAGE' as const }));
    return [{ account: first[accountCol].trim(), circuits }];
  },
};

/** Body lines "Label: value"; "Start Time: x, End Time: y" share one line. */
function readFields(doc: Document): Map<string, string> {
  const fields = new Map<string, string>();
  for (const raw of textWithBreaks(doc, BLOCKS, '\n', NOTHING).split('\n')) {
    const line = raw.replace(/[^\x20-\x7e]+/g, ' ').trim();
    for (const piece of splitEndTime(line)) {
      const field = splitLabel(piece.trim(), LABEL);
      if (field && !fields.has(field.label.toLowerCase())) fields.set(field.label.toLowerCase(), field.value);
    }
  }
  return fields;
}

/** "Start Time: x, End Time: y" as its two pieces; any other line as itself. */
function splitEndTime(line: string): string[] {
  const pieces: string[] = [];
  let from = 0;
  const lower = line.toLowerCase();
  const blank = (i: number) => i >= 0 && i < line.length && /\s/.test(line[i]);
  for (let at = lower.indexOf('end time', 1); at > 0; at = lower.indexOf('end time', at + 1)) {
    let comma = at - 1;
    while (comma > from && blank(comma)) comma--;
    let colon = at + 'end time'.length;
    while (blank(colon)) colon++;
    if (comma <= from || line[comma] !== ',' || line[colon] !== ':') continue;
    pieces.push(line.slice(from, comma));
    from = at;
  }
  pieces.push(line.slice(from));
  return pieces;
}

function toEpoch(text: string): number {
  const trimmed = text.trim();
  const m = WHEN.exec(trimmed);
  if (!m) throw new ParserError(`unreadable time "${text}"`);
  let rest = trimmed.slice(m[0].length).trim();
  const meridiem = MERIDIEM.exec(rest)?.[1];
  if (meridiem) rest = rest.slice(meridiem.length).trim();
  const zone = rest ? resolveZone(rest) : 'UTC';
  if (!zone) throw new ParserError(`unknown time zone in "${text}"`);
  const clock = `${m[4]}:${m[5]}:${m[6] ?? '00'}${meridiem ? ' ' + meridiem.toUpperCase() : ''}`;
  const dt = fromFormat(`${m[1]} ${m[2]} ${m[3]} ${clock}`, meridiem ? 'MMMM d yyyy h:mm:ss a' : 'MMMM d yyyy H:mm:ss', { zone, locale: 'en' });
  const alt = dt.isValid ? dt : fromFormat(`${m[1]} ${m[2]} ${m[3]} ${clock}`, meridiem ? 'MMM d yyyy h:mm:ss a' : 'MMM d yyyy H:mm:ss', { zone, locale: 'en' });
  if (!alt.isValid) throw new ParserError(`unreadable time "${text}"`);
  return Math.floor(alt.toSeconds());
}

/**
 * LEC circuit ids as AT&T's local-exchange unit writes them ("0012/ABCD/345600 ATI"): the
 * first word, without leading zeros, trailing zeros replaced by "ATI" (the reference's rule).
 */
function normalizeLecCircuit(id: string): string {
  return id.split(/\s+/)[0].replace(/^0+/, '').replace(/0+$/, 'ATI');
}

// ---------------------------------------------------------------------------------------
// XLSX reading. exceljs (the project's spreadsheet library) loads workbooks only through
// promises, and Parser.parse is synchronous; the installed zip libraries (jszip, unzipper)
// are promise/stream based too. An XLSX file is a ZIP of XML parts, so this reads the ZIP
// central directory (PKWARE APPNOTE, stable since 1993) with Node's zlib.inflateRawSync and
// the sheet XML with cheerio in XML mode: only the first worksheet's cell texts are needed.
// ---------------------------------------------------------------------------------------

/** Named parts of a ZIP file. */
interface ZipEntries {
  has(name: string): boolean;
  get(name: string): Buffer | undefined;
}

/** Largest unpacked part accepted: a circuit list is kilobytes; this stops zip bombs. */
const MAX_PART_BYTES = 16 * 1024 * 1024;

/** Every row of the workbook's first worksheet as cell texts, by column position. */
function readFirstSheet(xlsx: Buffer): string[][] {
  const zip = readZip(xlsx);
  const xml = (name: string): Document | undefined => {
    const bytes = zip.get(name);
    return bytes ? parseDocument(bytes.toString('utf8'), XML_OPTIONS) : undefined;
  };
  const shared: string[] = [];
  const strings = xml('xl/sharedStrings.xml');
  if (strings) {
    for (const si of elementsNamed(strings, 'si')) {
      // Rich text splits a string into runs; phonetic hints (rPh) are not part of it.
      shared.push(
        elementsNamed(si, 't')
          .filter((t) => !t.parent || !closestElement(t.parent, 'rPh'))
          .map((t) => textOf(t))
          .join(''),
      );
    }
  }
  const sheet = xml(firstSheetPath(zip, xml));
  if (!sheet) throw new ParserError('XLSX has no worksheet');
  const rows: string[][] = [];
  for (const row of elementsNamed(sheet, 'row').filter((r) => isNamed(r.parent, 'sheetData'))) {
    const cells: string[] = [];
    childElements(row, 'c').forEach((c, i) => {
      const ref = c.attribs.r;
      const col = ref ? columnIndex(ref) : i;
      const type = c.attribs.t;
      const v = textOf(childElements(c, 'v'));
      if (type === 's') cells[col] = shared[Number(v)] ?? '';
      else if (type === 'inlineStr') cells[col] = textOf(elementsNamed(c, 't'));
      else if (type === 'b') cells[col] = v === '1' ? 'TRUE' : 'FALSE';
      else cells[col] = v;
    });
    rows.push(Array.from(cells, (c) => c ?? ''));
  }
  return rows;
}

/** True for an element of this (case-sensitive, XML) name. */
function isNamed(node: AnyNode | null, name: string): node is Element {
  return !!node && DomUtils.isTag(node) && node.name === name;
}

/** The first <sheet> of workbook.xml, through the workbook relationships. */
function firstSheetPath(zip: ZipEntries, xml: (name: string) => Document | undefined): string {
  const fallback = 'xl/worksheets/sheet1.xml';
  const workbook = xml('xl/workbook.xml');
  const rels = xml('xl/_rels/workbook.xml.rels');
  const rid = workbook && elementsNamed(workbook, 'sheet').find((s) => isNamed(s.parent, 'sheets'))?.attribs['r:id'];
  if (!workbook || !rels || !rid) return fallback;
  const target = elementsNamed(rels, 'Relationship').find((r) => r.attribs.Id === rid)?.attribs.Target;
  if (!target) return fallback;
  const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  return zip.has(path) ? path : fallback;
}

/** "AB12" -> 27. */
function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref.toUpperCase()) {
    const code = ch.charCodeAt(0);
    if (code < 65 || code > 90) break;
    n = n * 26 + (code - 64);
  }
  return n - 1;
}

/** The entries of a ZIP file, unpacked on first read (no ZIP64, no encryption: XLSX never needs them). */
function readZip(buf: Buffer): ZipEntries {
  const EOCD = 0x06054b50;
  const CENTRAL = 0x02014b50;
  const LOCAL = 0x04034b50;
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ParserError('XLSX attachment is not a ZIP file');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries = new Map<string, { method: number; offset: number; compressed: number }>();
  for (let n = 0; n < count; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) throw new ParserError('XLSX attachment has a broken ZIP directory');
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    entries.set(name, { method, offset: local, compressed });
  }
  const cache = new Map<string, Buffer>();
  return {
    has: (name) => entries.has(name),
    get: (name) => {
      const entry = entries.get(name);
      if (!entry) return undefined;
      let data = cache.get(name);
      if (data) return data;
      const { method, offset, compressed } = entry;
      if (offset + 30 > buf.length || buf.readUInt32LE(offset) !== LOCAL) throw new ParserError(`XLSX entry ${name} is broken`);
      const start = offset + 30 + buf.readUInt16LE(offset + 26) + buf.readUInt16LE(offset + 28);
      const raw = buf.subarray(start, start + compressed);
      if (method === 0) data = raw;
      else if (method === 8) data = inflateRawSync(raw, { maxOutputLength: MAX_PART_BYTES });
      else throw new ParserError(`XLSX entry ${name} uses unsupported compression ${method}`);
      cache.set(name, data);
      return data;
    },
  };
}
