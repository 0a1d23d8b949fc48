import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import * as iconv from 'iconv-lite';
import { MimeError, reasonOf } from './errors';
import type { DataPart, NotificationData } from './types';

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

/** Mails nested deeper than this (forward of a forward of ...) are not unwrapped further. */
const MAX_FORWARD_DEPTH = 5;

const XLSX_TYPES = new Set([
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel.sheet.macroenabled.12',
]);

/**
 * Reads an RFC 822 mail into typed parts (circuit-maintenance-parser's NotificationData).
 * Forwarded mail (a message/rfc822 attachment, or an inline "Forwarded message" block)
 * gives the original's sender. Throws MimeError only when the bytes are no mail at all.
 */
export async function readMail(raw: Buffer | string): Promise<NotificationData> {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  if (bytes.length === 0) throw new MimeError('empty message');
  let mail: ParsedMail;
  try {
    mail = await simpleParser(bytes, MAILPARSER_OPTIONS);
  } catch (err) {
    throw new MimeError(`unreadable MIME: ${reasonOf(err)}`, { cause: err });
  }
  if (mail.headerLines.length === 0) {
    throw new MimeError('no RFC 822 header block (not a mail)');
  }
  const data: NotificationData = { parts: [], warnings: [] };
  await collect(mail, data, 0);
  return data;
}

async function collect(mail: ParsedMail, data: NotificationData, depth: number): Promise<void> {
  const sender = firstAddress(mail.from);
  const subject = mail.subject ?? undefined;
  // The outermost mail gives the header parts; a forwarded original's headers replace them
  // below, since the original's date and subject are the provider's.
  const headerParts: DataPart[] = [];
  if (subject !== undefined) headerParts.push({ type: 'email-header-subject', content: subject });
  const rawDate = headerValue(mail, 'date');
  if (rawDate) headerParts.push({ type: 'email-header-date', content: rawDate });
  if (sender) headerParts.push({ type: 'email-header-from', content: sender });

  const bodyParts: DataPart[] = [];
  const nested: Attachment[] = [];
  for (const att of mail.attachments ?? []) {
    const type = att.contentType?.toLowerCase() ?? 'application/octet-stream';
    const name = att.filename?.toLowerCase() ?? '';
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

  if (depth === 0) {
    data.sender = sender;
    data.subject = subject;
  }

  // An attached original (message/rfc822) is the provider's mail: use its sender and parts.
  if (nested.length > 0 && depth < MAX_FORWARD_DEPTH) {
    for (const att of nested) {
      try {
        const inner = await simpleParser(att.content, MAILPARSER_OPTIONS);
        if (inner.headerLines.length === 0) continue;
        const innerData: NotificationData = { parts: [], warnings: data.warnings };
        await collect(inner, innerData, depth + 1);
        if (innerData.sender && innerData.sender !== data.sender) {
          data.forwardedBy = data.forwardedBy ?? data.sender;
          data.sender = innerData.sender;
          data.subject = innerData.subject ?? data.subject;
        }
        // Original first: its headers and body win over the forwarder's note.
        data.parts.push(...innerData.parts);
      } catch (err) {
        data.warnings.push(`attached message ${att.filename ?? ''} unreadable: ${reasonOf(err)}`);
      }
    }
    data.parts.push(...headerParts.filter((p) => !data.parts.some((q) => q.type === p.type)), ...bodyParts);
    return;
  }

  // An inline forward ("---------- Forwarded message ---------" + From: line) names the
  // original sender inside the body; the body itself is the original's text.
  if (depth === 0) {
    const original = inlineForwardSender(bodyParts);
    if (original && original !== sender) {
      data.forwardedBy = sender;
      data.sender = original;
    }
  }
  data.parts.push(...headerParts, ...bodyParts);
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

const FORWARD_MARKER =
  /(?:^|\n)[>\s]*(?:-{2,}\s*(?:Forwarded message|Original Message|Weitergeleitete Nachricht|Message transféré)\s*-{2,}|Begin forwarded message:)/i;
const FROM_LINE = /(?:^|\n)[>\s*]*(?:From|Von|De)\s*:\s*\*?([^\n]*)/i;
const ADDRESS = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

/** The original sender of an inline forward, from the first forward block's From: line. */
function inlineForwardSender(parts: DataPart[]): string | undefined {
  for (const part of parts) {
    if (part.type !== 'text' && part.type !== 'html') continue;
    const text = part.type === 'html' ? part.content.replace(/<[^>]*>/g, '\n').replace(/&lt;/g, '<').replace(/&gt;/g, '>') : part.content;
    const marker = FORWARD_MARKER.exec(text);
    if (!marker) continue;
    const block = text.slice(marker.index, marker.index + 2000);
    const from = FROM_LINE.exec(block);
    const address = from && ADDRESS.exec(from[1]);
    if (address) return address[0].toLowerCase();
  }
  return undefined;
}
