import { createHash } from 'node:crypto';
import type { MaintenanceStatus } from '@maintwatch/contracts';
import { ParserError } from '../core/errors';
import { mailDateToEpoch } from '../core/zones';
import type { DataPart, Parser, ParserContext, PartialMaintenance } from '../core/types';
import { htmlDocument, textWithBreaks } from '../core/html';

// AWS Direct Connect maintenance notices are plain sentences: "Planned maintenance has been
// scheduled on ... from Thu, 20 May 2021 08:00:00 GMT to Thu, 20 May 2021 14:00:00 GMT ...",
// then one Direct Connect resource id per line (dxcon-xxxxxxxx, dxlag-..., dxvif-...). SNS
// notices put the window on "Start Time:" / "End Time:" lines and the account on "Account Id:";
// Health notices put it in the subject "[AWS Account: 123456789012]". The notices carry no
// ticket id, so the id is a hash of the window and the resources (as the reference computes it).

/** An RFC 2822 date as AWS writes it: "Thu, 20 May 2021 08:00:00 GMT". */
const RFC_DATE = String.raw`[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2,9} \d{4} \d{2}:\d{2}:\d{2} [A-Z]{2,3}`;
const FROM_TO = new RegExp(String.raw`\bfrom (${RFC_DATE}) to (${RFC_DATE})`, 'i');
const START_LINE = new RegExp(String.raw`^Start Time: (${RFC_DATE})`, 'i');
const END_LINE = new RegExp(String.raw`^End Time: (${RFC_DATE})`, 'i');
const ACCOUNT_LINE = /^Account ?(?:ID)?: ?(\d+)/i;
/** A sentence stating the maintenance ("Planned maintenance has been scheduled", "Emergency maintenance has been ...", "the planned maintenance that was scheduled ... has been cancelled"), not a heading. */
const MAINTENANCE_STATEMENT = /\b(?:planned|emergency|unplanned|scheduled) maintenance (?:has|have|that|which|is|was|will)\b/i;
/** A Direct Connect resource id alone on its line. */
const RESOURCE = /^[a-z]{5}-[a-z0-9]{8}$/;
const SUBJECT_ACCOUNT = /\[AWS Account ?(?:ID)?: ?(\d+)\]/i;
const HTML_BLOCKS = new Set(['p', 'div', 'tr', 'li', 'h1', 'h2', 'h3', 'table']);
/** A private-use character marking line ends while HTML whitespace is collapsed. */
const LINE_END = '\ue000';

/** AWS notice body (the text part; the HTML part when the mail has no text part). */
export const awsBodyParser: Parser = {
  name: 'aws-body',
  dataTypes: ['text', 'html'],
  parse: (part, ctx) => {
    if (part.type === 'html' && hasTextPart(ctx)) return [];
    const lines = bodyLines(part);
    const record: PartialMaintenance = { circuits: [] };
    let start: string | undefined;
    let end: string | undefined;
    let status: MaintenanceStatus = 'CONFIRMED';
    // Sentences are read per paragraph: a plain-text notice may be hard-wrapped (a forward,
    // a 7bit copy), so the window and the statement can span lines.
    for (const paragraph of paragraphsOf(part, lines)) {
      // The first paragraph stating the maintenance, in any of AWS's wordings.
      if (record.summary === undefined && MAINTENANCE_STATEMENT.test(paragraph)) record.summary = paragraph;
      if (/has been cancell?ed/i.test(paragraph)) status = 'CANCELLED';
      const fromTo = FROM_TO.exec(paragraph);
      if (fromTo && !start) [start, end] = [fromTo[1], fromTo[2]];
    }
    for (const line of lines) {
      start = START_LINE.exec(line)?.[1] ?? start;
      end = END_LINE.exec(line)?.[1] ?? end;
      const account = ACCOUNT_LINE.exec(line);
      if (account) record.account = account[1];
      if (RESOURCE.test(line)) record.circuits?.push({ circuit_id: line, impact: 'OUTAGE' });
    }
    if (!start || !end) throw new ParserError('no maintenance window ("from <date> to <date>" or Start/End Time lines)');
    record.start = mailDateToEpoch(start);
    record.end = mailDateToEpoch(end);
    record.status = status;
    const ids = (record.circuits ?? []).map((c) => c.circuit_id).join('');
    record.maintenance_id = createHash('sha256').update(`${record.start}${record.end}${ids}`).digest('hex');
    return [record];
  },
};

/** AWS subject: the account in "[AWS Account: 123456789012]". */
export const awsSubjectParser: Parser = {
  name: 'aws-subject',
  dataTypes: ['email-header-subject'],
  parse: (part) => {
    const account = SUBJECT_ACCOUNT.exec(String(part.content).replace(/\s+/g, ' '));
    return account ? [{ account: account[1] }] : [];
  },
};

function hasTextPart(ctx: ParserContext): boolean {
  return ctx.notification.parts.some((p) => p.type === 'text' && String(p.content).trim() !== '');
}

/** Paragraphs of a text part (blank-line separated, lines joined); an HTML part's lines are its paragraphs. */
function paragraphsOf(part: DataPart, lines: string[]): string[] {
  if (part.type === 'html') return lines;
  return String(part.content)
    .split(/\r?\n[ \t]*\r?\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '');
}

/** The body as trimmed lines; HTML lines end at <br> and block elements. */
function bodyLines(part: DataPart): string[] {
  let text: string;
  if (part.type === 'html') {
    // Source line breaks are only whitespace in HTML; <br> and blocks end the lines.
    text = textWithBreaks(htmlDocument(part), HTML_BLOCKS, LINE_END).replace(/\s+/g, ' ').split(LINE_END).join('\n');
  } else {
    text = String(part.content);
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
