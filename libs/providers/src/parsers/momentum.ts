import { isTag, isText, type AnyNode } from 'domhandler';
import type { MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import { localToEpoch } from '../core/zones';
import type { Parser, PartialMaintenance } from '../core/types';
import { htmlCheerio } from '../core/html';

// Momentum Telecom (maintenance@momentumtelecom.com, a Salesforce case mail) notices: the
// subject is "Momentum Data Services | <kind> , | <account> | | <case number> | [ ref:…:ref ]";
// the body has one "Label: value" line each for "Maintenance start date/time:",
// "Maintenance finish date/time:" ("2021-08-14 09:30 AM UTC"), "Reason for Maintenance:",
// "Account:" and "Circuit ID(s) impacted:" (comma-separated).

/** The body fields Momentum labels, one per line. */
type Field = 'account' | 'circuits' | 'start' | 'end' | 'summary';
const LINE_LABELS: [RegExp, Field][] = [
  [/^account\s*:\s*(.*)$/i, 'account'],
  [/^circuit id(?:\(s\)|s)?(?: impacted)?\s*:\s*(.*)$/i, 'circuits'],
  [/^maintenance start date\/time\s*:\s*(.*)$/i, 'start'],
  [/^maintenance (?:finish|end) date\/time\s*:\s*(.*)$/i, 'end'],
  [/^reason for maintenance\s*:\s*(.*)$/i, 'summary'],
];
/** "2021-08-14 09:30 AM UTC". */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})\s+(\d{1,2}):(\d{2})(?:\s*([AP]M))?(?:\s+(\S+))?/i;

/**
 * Momentum's subject: pipe-separated fields of the Salesforce case, the case number fifth.
 * The kind of notice ("Planned Network Maintenance") gives the status.
 */
export const momentumSubjectParser: Parser = {
  name: 'momentum-subject',
  dataTypes: ['email-header-subject'],
  parse: (part) => {
    const fields = String(part.content)
      .split('|')
      .map((f) => f.trim());
    if (fields.length < 6 || !fields[4]) throw new ParserError('subject is not "Momentum … | <kind> | <account> | | <case> | [ref]"');
    const record: PartialMaintenance = { maintenance_id: fields[4], status: kindStatus(fields[1]) };
    if (fields[2]) record.account = fields[2];
    return [record];
  },
};

function kindStatus(kind: string): MaintenanceStatus {
  const k = kind.toLowerCase();
  if (k.includes('cancel')) return 'CANCELLED';
  if (k.includes('complete')) return 'COMPLETED';
  return 'CONFIRMED';
}

const END_OF_P = Symbol('end of <p>');

/**
 * The text lines of the document's <p> elements, <br> and paragraph boundaries ending lines, in
 * one iterative walk. Not `$('p')` / `$('br')`: htmlparser2 does not close an open <p> at the
 * next one, so hostile mail can nest tens of thousands of them, and the selector engine's
 * de-duplication of nested matches (css-select removeSubsets) is quadratic there (seconds per
 * call); a recursive walk would overflow the stack.
 */
function paragraphLines(root: AnyNode): string[] {
  const stack: (AnyNode | typeof END_OF_P)[] = [root];
  let depth = 0;
  let text = '';
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode | typeof END_OF_P;
    if (node === END_OF_P) {
      depth--;
      text += '\n';
      continue;
    }
    if (isText(node)) {
      if (depth > 0) text += node.data;
      continue;
    }
    if (isTag(node) && node.name === 'br') {
      if (depth > 0) text += '\n';
      continue;
    }
    if (isTag(node) && node.name === 'p') {
      depth++;
      text += '\n';
      stack.push(END_OF_P);
    }
    const children = 'children' in node ? node.children : [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return text.split(/\r?\n/);
}

/** Momentum notice body: the labelled lines of one maintenance window. */
export const momentumHtmlParser: Parser = {
  name: 'momentum-html',
  dataTypes: ['html'],
  parse: (part) => {
    const $ = htmlCheerio(part);
    const record: PartialMaintenance = {};
    for (const raw of paragraphLines($.root()[0])) {
      const line = raw.replace(/\u00a0/g, ' ').trim();
      for (const [re, key] of LINE_LABELS) {
        const m = re.exec(line);
        if (m) assign(record, key, m[1].trim());
      }
    }
    if (record.start === undefined || record.end === undefined) {
      throw new ParserError('not a Momentum notice: no "Maintenance start/finish date/time" lines');
    }
    return [record];
  },
};

function assign(record: PartialMaintenance, key: Field, value: string): void {
  if (!value) return;
  switch (key) {
    case 'account':
    case 'summary':
      record[key] = record[key] ?? value;
      break;
    case 'circuits':
      record.circuits = value
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean)
        .map((circuit_id) => ({ circuit_id, impact: 'OUTAGE' as const }));
      break;
    case 'start':
    case 'end':
      record[key] = dateTime(value);
      break;
  }
}

/** "2021-08-14 09:30 AM UTC"; a time without a zone is UTC. */
function dateTime(value: string): number {
  const m = DATE_TIME.exec(value);
  if (!m) throw new ParserError(`unreadable maintenance time "${value}"`);
  let hour = Number(m[4]);
  if (m[6]) hour = (hour % 12) + (m[6].toUpperCase() === 'PM' ? 12 : 0);
  return localToEpoch({ year: +m[1], month: +m[2], day: +m[3], hour, minute: +m[5] }, m[7] ?? 'UTC');
}
