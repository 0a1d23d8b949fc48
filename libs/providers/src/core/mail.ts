import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import * as iconv from 'iconv-lite';
import type { AnyNode, Document } from 'domhandler';
import { MimeError, reasonOf } from './errors';
import { htmlDocument } from './html';
import type { DataPart, NotificationData, TextPart } from './types';

/**
 * mailparser in its fastest configuration: no html<->text conversion, no link detection.
 * The benchmark's "MIME floor" uses exactly these options.
 */
export const MAILPARSER_OPTIONS = {
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipImageLinks: true,
  skipTextLinks: true,
  keepCidLinks: true,
} as const;

/** Default largest attachment read: notices' calendars, CSV and XLSX circuit lists are kilobytes. */
export const DEFAULT_MAX_PART_BYTES = 16 * 1024 * 1024;

/** Options of readMail. */
export interface ReadMailOptions {
  /** Largest attachment read; a larger one is skipped with a warning that reaches an unparsed record's reasons. */
  maxPartBytes?: number;
}

/** Mails nested deeper than this (forward of a forward of ...) are not unwrapped further. */
const MAX_FORWARD_DEPTH = 5;

const XLSX_TYPES = new Set([
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel.sheet.macroenabled.12',
]);

/** Header names of which at least one appears in anything that is a mail. */
const MAIL_HEADERS = new Set([
  'from', 'to', 'cc', 'date', 'subject', 'message-id', 'content-type', 'mime-version', 'received',
  'return-path', 'delivered-to', 'reply-to', 'sender',
]);

/**
 * Reads an RFC 822 mail into typed parts (circuit-maintenance-parser's NotificationData).
 * Forwarded mail (a message/rfc822 attachment, or an inline "Forwarded message" block)
 * gives the original's sender. Throws MimeError only when the bytes are no mail at all.
 */
export async function readMail(raw: Buffer | string, options: ReadMailOptions = {}): Promise<NotificationData> {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  if (bytes.length === 0) throw new MimeError('empty message');
  let mail: ParsedMail;
  try {
    mail = await simpleParser(bytes, MAILPARSER_OPTIONS);
  } catch (err) {
    throw new MimeError(`unreadable MIME: ${reasonOf(err)}`, { cause: err });
  }
  // mailparser reads any first line as a header; a mail has at least one real one.
  if (!mail.headerLines.some((h) => MAIL_HEADERS.has(h.key))) {
    throw new MimeError('no RFC 822 header block (not a mail)');
  }
  const data: NotificationData = { parts: [], warnings: [] };
  await collect(mail, data, 0, options.maxPartBytes ?? DEFAULT_MAX_PART_BYTES);
  return data;
}

/** Fills `data` from one (possibly nested) mail: its sender, subject and typed parts. */
async function collect(mail: ParsedMail, data: NotificationData, depth: number, maxPartBytes: number): Promise<void> {
  const sender = firstAddress(mail.from);
  const subject = mail.subject ?? undefined;
  data.sender = sender;
  data.subject = subject;
  const headerParts: TextPart[] = [];
  if (subject !== undefined) headerParts.push({ type: 'email-header-subject', content: subject });
  const rawDate = headerValue(mail, 'date');
  if (rawDate) headerParts.push({ type: 'email-header-date', content: rawDate });
  if (sender) headerParts.push({ type: 'email-header-from', content: sender });

  const bodyParts: DataPart[] = [];
  const nested: Attachment[] = [];
  for (const att of mail.attachments ?? []) {
    const type = att.contentType?.toLowerCase() ?? 'application/octet-stream';
    const name = att.filename?.toLowerCase() ?? '';
    if (att.content.length > maxPartBytes) {
      data.warnings.push(`attachment ${att.filename ?? type} of ${att.content.length} bytes is over the part limit (${maxPartBytes} bytes, PARSER_MAX_PART_BYTES): skipped`);
      continue;
    }
    if (type === 'message/rfc822' || name.endsWith('.eml')) nested.push(att);
    else if (type === 'text/calendar' || type === 'application/ics' || name.endsWith('.ics'))
      bodyParts.push({ type: 'ical', content: decodeText(att, data), filename: att.filename });
    else if (type === 'text/csv' || name.endsWith('.csv'))
      bodyParts.push({ type: 'csv', content: decodeText(att, data), filename: att.filename });
    else if (XLSX_TYPES.has(type) || name.endsWith('.xlsx'))
      bodyParts.push({ type: 'xlsx', content: att.content, filename: att.filename });
    else if (type === 'text/html')
      bodyParts.push({ type: 'html', content: decodeText(att, data), filename: att.filename });
    else if (type === 'text/plain')
      bodyParts.push({ type: 'text', content: decodeText(att, data), filename: att.filename });
  }
  if (typeof mail.html === 'string' && mail.html.length > 0) bodyParts.push({ type: 'html', content: mail.html });
  if (typeof mail.text === 'string' && mail.text.length > 0) bodyParts.push({ type: 'text', content: mail.text });

  // An attached original (message/rfc822) is the provider's mail: use its sender and parts.
  const originals: DataPart[] = [];
  if (nested.length > 0 && depth < MAX_FORWARD_DEPTH) {
    for (const att of nested) {
      try {
        const inner = await simpleParser(att.content, MAILPARSER_OPTIONS);
        if (!inner.headerLines.some((h) => MAIL_HEADERS.has(h.key))) continue;
        const innerData: NotificationData = { parts: [], warnings: data.warnings };
        await collect(inner, innerData, depth + 1, maxPartBytes);
        if (innerData.sender && innerData.sender !== data.sender && data.forwardedBy === undefined) {
          data.forwardedBy = data.sender;
          data.sender = innerData.sender;
          data.subject = innerData.subject ?? data.subject;
        }
        originals.push(...innerData.parts);
      } catch (err) {
        data.warnings.push(`attached message ${att.filename ?? ''} unreadable: ${reasonOf(err)}`);
      }
    }
  }
  if (originals.length > 0) {
    // Original first: its headers and body win over the forwarder's note.
    data.parts.push(...originals, ...headerParts.filter((p) => !originals.some((q) => q.type === p.type)), ...bodyParts);
    return;
  }

  // An inline forward names the original sender inside the body, whose text is the original's.
  const original = inlineForward(bodyParts, FORWARD_SUBJECT.test(subject ?? ''));
  if (original && original !== sender) {
    // Only the sender comes from the quoted block: its Subject/Date lines are rewrapped and
    // often zone-less, while the forward's own subject carries the original's ("Fwd: ...")
    // and is what providers' subject parsers read (as the reference library does).
    data.forwardedBy = sender;
    data.sender = original;
    replaceHeader(headerParts, 'email-header-from', original);
  }
  data.parts.push(...headerParts, ...bodyParts);
}

function replaceHeader(parts: TextPart[], type: TextPart['type'], content: string): void {
  const part = parts.find((p) => p.type === type);
  if (part) part.content = content;
  else parts.push({ type, content });
}

function firstAddress(from: AddressObject | AddressObject[] | undefined): string | undefined {
  const list = Array.isArray(from) ? from : from ? [from] : [];
  for (const group of list) {
    for (const entry of group.value) {
      if (entry.address) return entry.address.toLowerCase();
    }
  }
  return undefined;
}

function headerValue(mail: ParsedMail, key: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === key)?.line;
  if (!line) return undefined;
  const value = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
  return value || undefined;
}

/** Decodes a text attachment with its declared charset; an unknown charset is a warning, not a failure. */
function decodeText(att: Attachment, data: NotificationData): string {
  const ct = att.headers.get('content-type') as { params?: Record<string, string> } | undefined;
  const charset = ct?.params?.charset?.trim().toLowerCase() || 'utf-8';
  if (iconv.encodingExists(charset)) return iconv.decode(att.content, charset);
  data.warnings.push(`part ${att.filename ?? att.contentType}: unknown charset "${charset}", read as UTF-8`);
  return att.content.toString('utf8');
}

// Every pattern below is anchored per line (m flag) with bounded character classes, so it
// runs in linear time on hostile input (megabyte lines of blanks, "<" or "-").
const FORWARD_HINT = /Forwarded message|Original Message|Weitergeleitete Nachricht|Message transf[ée]r[ée]|Mensaje reenviado|Begin forwarded message|_{10,}/i;
/** Markers that only a forward writes. */
const FORWARD_MARKER =
  /^[> \t*]*(?:-{2,}[ \t]*(?:Forwarded message|Weitergeleitete Nachricht|Message transf[ée]r[ée]|Mensaje reenviado)[ \t]*-{2,}|Begin forwarded message:)/im;
/**
 * Markers that replies write too (Outlook's "Original Message" and underscore rule): they
 * count only under a forward's subject, so a provider's reply quoting a customer's mail
 * keeps the provider as sender.
 */
const QUOTE_MARKER = /^[> \t*]*(?:-{2,}[ \t]*Original Message[ \t]*-{2,}|_{10,}[ \t]*$)/im;
/** Forward prefixes of the common mail clients (Fwd, FW, WG, TR, RV, ENC, VB, Doorst). */
const FORWARD_SUBJECT = /^\s*(?:\[[^\]]{0,40}\]\s*)?(?:fwd?|wg|tr|rv|enc|vb|doorst)\s*:/i;
const FROM_LINE = /^[> \t*]*(?:From|Von|De)[ \t]*\*?[ \t]*:[ \t*]*([^\n]*)/im;
const ADDRESS = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
/** How far after the marker the forward's header block may reach. */
const FORWARD_BLOCK_CHARS = 2000;

/** The original of an inline forward, from the first forward block's header lines. */
function inlineForward(parts: DataPart[], forwardSubject: boolean): string | undefined {
  for (const part of parts) {
    if (part.type !== 'text' && part.type !== 'html') continue;
    if (!FORWARD_HINT.test(part.content)) continue;
    const text = part.type === 'html' ? htmlToLines(htmlDocument(part)) : part.content;
    const marker = FORWARD_MARKER.exec(text) ?? (forwardSubject ? QUOTE_MARKER.exec(text) : null);
    if (!marker) continue;
    const block = text.slice(marker.index + marker[0].length, marker.index + marker[0].length + FORWARD_BLOCK_CHARS);
    const from = FROM_LINE.exec(block);
    const address = from && ADDRESS.exec(from[1]);
    if (address) return address[0].toLowerCase();
  }
  return undefined;
}

/** Elements that end a line of text when rendered. */
const BLOCK_TAGS = new Set(['br', 'p', 'div', 'tr', 'li', 'table', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'hr']);

/**
 * HTML -> text for finding the forward block: block elements become line breaks (before and
 * after), script and style are skipped, entities are decoded. Walks the part's shared DOM
 * (the provider's parser reads the same one) with an explicit stack, so hostile nesting depth
 * cannot overflow the call stack; no rendering, which cost more than the whole MIME parse.
 */
function htmlToLines(doc: Document): string {
  let text = '';
  // A node to enter, or a block element's name to close (its line break after).
  const stack: (AnyNode | string)[] = [doc];
  while (stack.length > 0) {
    const item = stack.pop() as AnyNode | string;
    if (typeof item === 'string') {
      text += '\n';
      continue;
    }
    if (item.type === 'text') {
      text += item.data;
      continue;
    }
    if (item.type === 'script' || item.type === 'style') continue;
    if (item.type !== 'tag' && item.type !== 'root') continue;
    const block = item.type === 'tag' && BLOCK_TAGS.has(item.name);
    if (block) {
      text += '\n';
      stack.push(item.name);
    }
    const children = item.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return text;
}
