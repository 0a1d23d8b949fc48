import type { AnyNode, Document, Element } from 'domhandler';
import type { Impact } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import type { Parser, PartialMaintenance } from '../core/types';
import { resolveZone, fromFormat } from '../core/zones';
import { elementsNamed, htmlDocument, textOf } from '../core/html';

// HGC "Maintenance Work Notification" mails. The subject ends with the ticket:
//   "HGC Maintenance Work Notification - <customer> | <circuit> | <ticket>"  or
//   "HGC Maintenance Work Notification - <customer> _ <circuit> (<ticket>)".
// The body lists the fields either as a table (label | ":" | value) or as lines
// "Label:   value" (Circuit ID, Customer, Maintenance Window start/end date & time,
// Service Impact, Description).

/** Elements that end a line when the mail is read as text. */
const BLOCKS = new Set(['p', 'div', 'br', 'tr', 'li', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** "15-Aug-2021 07:01 UTC", "08 Jul 2021 17:00:00 GMT"; UTC when no zone is written. */
const TIMESTAMP = /(\d{1,2})[-\s/]([A-Za-z]{3})[A-Za-z]*[-\s/](\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(\(?[A-Za-z]{1,5}\)?|[+-]\d{2}:?\d{2})?/;

const LINE_FIELD = /^([A-Za-z][\w &/()-]*?)\s*:\s*(\S.*)$/;

/** Which field a label names (lower-cased label, matched by its start). */
const LABELS: [RegExp, keyof HgcFields][] = [
  [/^circuit id/, 'circuit'],
  [/^customer/, 'customer'],
  [/^maintenance window start/, 'start'],
  [/^maintenance window end/, 'end'],
  [/^service impact/, 'impact'],
  [/^description/, 'description'],
];

interface HgcFields {
  circuit?: string;
  customer?: string;
  start?: string;
  end?: string;
  impact?: string;
  description?: string;
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

function assign(fields: HgcFields, label: string, value: string): void {
  const key = LABELS.find(([re]) => re.test(label.toLowerCase()))?.[1];
  if (key && value && fields[key] === undefined) fields[key] = value;
}

const isTag = (node: AnyNode, name: string): node is Element => node.type === 'tag' && node.name === name;

/** Whether an element holds a descendant with that tag name (plain DOM: no selector per row). */
const containsTag = (el: Element, name: string): boolean =>
  el.children.some((c) => c.type === 'tag' && (c.name === name || containsTag(c, name)));

/** Table layout: a row of label, ":" and value cells (layout rows holding tables are skipped). */
function tableFields(doc: Document): HgcFields {
  const fields: HgcFields = {};
  for (const row of elementsNamed(doc, 'tr')) {
    if (containsTag(row, 'table')) continue;
    const cells = row.children.filter((c) => isTag(c, 'td')).map((td) => squash(textOf(td)));
    if (cells.length < 2) continue;
    const values = cells.slice(1).filter((c) => c !== ':' && c !== '');
    if (values.length > 0) assign(fields, cells[0].replace(/:$/, ''), values.join(' '));
  }
  return fields;
}

/** Line layout: "Label: value" lines, read from the rendered body (<br> and blocks end lines). */
function lineFields(doc: Document): HgcFields {
  const fields: HgcFields = {};
  let line = '';
  const flush = (): void => {
    const m = LINE_FIELD.exec(squash(line));
    if (m) assign(fields, m[1], m[2]);
    line = '';
  };
  const walk = (nodes: AnyNode[]): void => {
    for (const node of nodes) {
      if (node.type === 'text') line += node.data;
      else if (node.type === 'tag') {
        const block = BLOCKS.has(node.name);
        if (block) flush();
        walk(node.children);
        if (block) flush();
      } else if (node.type === 'root') walk(node.children);
    }
  };
  const bodies = elementsNamed(doc, 'body');
  walk(bodies.length ? bodies : [doc]);
  flush();
  return fields;
}

function toEpoch(value: string | undefined, label: string): number {
  if (!value) throw new ParserError(`no ${label}`);
  const m = TIMESTAMP.exec(value);
  if (!m) throw new ParserError(`unreadable ${label} "${value}"`);
  const zoneName = m[7]?.replace(/[()]/g, '') ?? 'UTC';
  const zone = resolveZone(zoneName);
  if (!zone) throw new ParserError(`unknown time zone "${zoneName}" in ${label}`);
  const dt = fromFormat(`${m[1]} ${m[2]} ${m[3]} ${m[4]}:${m[5]}:${m[6] ?? '00'}`, 'd LLL yyyy H:mm:ss', {
    zone,
    locale: 'en-US',
  });
  if (!dt.isValid) throw new ParserError(`invalid ${label} "${value}"`);
  return Math.floor(dt.toSeconds());
}

const impactOf = (text: string | undefined): Impact => (text && /\bno (?:service )?impact\b/i.test(text) ? 'NO-IMPACT' : 'OUTAGE');

/** HGC notice body (table or line layout): customer, window, circuit and description. */
export const hgcHtmlParser: Parser = {
  name: 'hgc-html',
  dataTypes: ['html'],
  parse: (part) => {
    const doc = htmlDocument(part);
    let fields = tableFields(doc);
    if (!fields.circuit) fields = lineFields(doc);
    if (!fields.circuit) throw new ParserError('no "Circuit ID" field');
    const impact = impactOf(fields.impact);
    const record: PartialMaintenance = {
      status: 'CONFIRMED',
      start: toEpoch(fields.start, 'Maintenance Window start date & time'),
      end: toEpoch(fields.end, 'Maintenance Window end date & time'),
      circuits: fields.circuit
        .split(/[,;]/)
        .map(squash)
        .filter(Boolean)
        .map((circuit_id) => ({ circuit_id, impact })),
    };
    if (fields.customer) record.account = fields.customer;
    if (fields.description) record.summary = fields.description;
    return [record];
  },
};

/** HGC subject: the ticket in trailing parentheses, or the last " | " field. */
export const hgcSubjectParser: Parser = {
  name: 'hgc-subject',
  dataTypes: ['email-header-subject'],
  parse: (part) => {
    const subject = String(part.content).replace(/\s+/g, ' ').trim();
    const parenthesised = /\(([^()]+)\)\s*$/.exec(subject);
    if (parenthesised) return [{ maintenance_id: parenthesised[1].trim() }];
    const fields = subject.split('|').map((f) => f.trim());
    if (fields.length >= 3 && fields[fields.length - 1]) return [{ maintenance_id: fields[fields.length - 1] }];
    throw new ParserError('no ticket in the subject ("... | <circuit> | <ticket>" or "... (<ticket>)")');
  },
};
