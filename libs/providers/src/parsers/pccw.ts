import type { AnyNode, Document } from 'domhandler';
import { DateTime } from 'luxon';
import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';
import { splitLabel } from './common';
import { resolveZone } from '../core/zones';
import { htmlDocument } from '../core/html';

// PCCW Global sends planned outage, urgent maintenance, amendment and cancellation notices
// with a BCOP iCalendar (read by the iCalendar parser). Only the completion notice comes
// without one: subject "Completion - Planned Outage Notification ... - <ticket>" and an
// HTML body of "Label : value" lines (Customer Name, Date Time : <start> to <end> GMT).

/** Elements that end a line when the mail is read as text. */
const BLOCKS = new Set(['p', 'div', 'br', 'tr', 'li', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

const LINE_FIELD = /^[A-Za-z][\w /&()-]*$/;
/** "26/11/2024 01:00:00 GMT" (day first, as the notice says "(dd/mm/yyyy)"); zone optional. */
const TIMESTAMP = /(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([A-Z]{2,5}\b|[+-]\d{2}:?\d{2}))?/g;
const SUBJECT_KINDS = /^\s*Completion\b/i;

/** The body as rendered lines, whitespace collapsed: the notice is one paragraph split by <br>. */
function renderLines(doc: Document): string[] {
  const lines: string[] = [];
  let line = '';
  const flush = (): void => {
    const trimmed = line.trim();
    if (trimmed) lines.push(trimmed);
    line = '';
  };
  const walk = (nodes: AnyNode[]): void => {
    for (const node of nodes) {
      // <script> and <style> are node types of their own, so they are skipped with comments.
      if (node.type === 'text') line += node.data.replace(/\s+/g, ' ');
      else if (node.type === 'tag' && node.name !== 'head') {
        const block = BLOCKS.has(node.name);
        if (block) flush();
        walk(node.children);
        if (block) flush();
      } else if (node.type === 'root') walk(node.children);
    }
  };
  walk([doc]);
  flush();
  return lines;
}

/** "Label : value" fields of the body, labels lower-cased; the first occurrence wins. */
function fields(lines: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of lines) {
    const m = splitLabel(line, LINE_FIELD);
    if (m && !map.has(m.label.toLowerCase())) map.set(m.label.toLowerCase(), m.value);
  }
  return map;
}

/** PCCW completion notice body: account and the maintenance window. */
export const pccwHtmlParser: Parser = {
  name: 'pccw-html',
  dataTypes: ['html'],
  parse: (part) => {
    const body = fields(renderLines(htmlDocument(part)));
    const account = body.get('customer name');
    if (!account) throw new ParserError('no "Customer Name :" line');
    const window = body.get('date time');
    if (!window) throw new ParserError('no "Date Time :" line');
    const matches = [...window.matchAll(TIMESTAMP)];
    // "<start> to <end> GMT": the zone written once, after the end, applies to both.
    const zoneName = matches.map((m) => m[7]).filter(Boolean).pop() ?? 'UTC';
    const zone = resolveZone(zoneName);
    if (!zone) throw new ParserError(`unknown time zone "${zoneName}" in "Date Time : ${window}"`);
    const times = matches.map((m) => {
      const dt = DateTime.fromObject(
        { day: +m[1], month: +m[2], year: +m[3], hour: +m[4], minute: +m[5], second: +(m[6] ?? 0) },
        { zone: resolveZone(m[7]) ?? zone },
      );
      if (!dt.isValid) throw new ParserError(`invalid time "${m[0]}" in "Date Time : ${window}"`);
      return Math.floor(dt.toSeconds());
    });
    if (times.length < 2) throw new ParserError(`unreadable "Date Time : ${window}" (expected "<start> to <end> GMT")`);
    // The reference library reports PCCW's own name as the provider of these notices.
    return [{ provider: 'PCCW Global', account, circuits: [], start: times[0], end: times[1] }];
  },
};

/** PCCW completion subject: the ticket after the last " - ", the subject as summary. */
export const pccwSubjectParser: Parser = {
  name: 'pccw-subject',
  dataTypes: ['email-header-subject'],
  parse: (part) => {
    const subject = String(part.content).replace(/\r?\n/g, '').trim();
    if (!SUBJECT_KINDS.test(subject)) {
      throw new ParserError('not a completion notice (PCCW sends the other notices as iCalendar)');
    }
    const ticket = subject.split(' - ').pop()?.trim();
    if (!ticket || ticket === subject) throw new ParserError('no ticket after " - " in the subject');
    return [{ maintenance_id: ticket, status: 'COMPLETED', summary: subject }];
  },
};
