import { randomUUID } from 'node:crypto';
import libmime from 'libmime';
import { KV_BUCKETS, noticeIdFor, sha256Hex } from '@maintwatch/contracts';
import type { Bus } from '@maintwatch/messaging';

/** What ingest knows of a mail before publishing it. */
export interface MailHeaders {
  messageId?: string;
  sender?: string;
  subject?: string;
  date?: Date;
}

/** A mail read and identified, ready to publish. */
export interface PreparedNotice {
  /** What is published: the mail, or only its header block when it is over the size limit. */
  raw: Buffer;
  noticeId: string;
  headers: MailHeaders;
  /** The mail's real size when `raw` holds only its header block. */
  truncatedFrom?: number;
}

/** Default largest mail published whole (INGEST_MAX_MAIL_BYTES). */
export const DEFAULT_MAX_MAIL_BYTES = 50 * 1024 * 1024;
/** Most of a mail's header block that is read (and kept of an oversized mail; IMAP fetches no more of one). */
export const MAX_HEADER_BLOCK = 256 * 1024;

/** Where a mail's header block ends (its first blank line, -1 when none) and the line ending used. */
function headerEnd(raw: Buffer): { end: number; eol: string } {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  return lf >= 0 && (crlf < 0 || lf < crlf) ? { end: lf, eol: '\n' } : { end: crlf, eol: '\r\n' };
}

/** The header block of a mail (up to the blank line), at most MAX_HEADER_BLOCK bytes, ending in a blank line. */
export function headerBlock(raw: Buffer): Buffer {
  const { end, eol } = headerEnd(raw);
  const head = raw.subarray(0, Math.min(end < 0 ? raw.length : end, MAX_HEADER_BLOCK));
  return Buffer.concat([head, Buffer.from(eol + eol)]);
}

/** How one publish ended: published now, or published before (seen-set, or JetStream's duplicate window). */
export type PublishResult = { status: 'published' | 'already-seen'; noticeId: string };

/** Options of one publish. */
export interface PublishOptions {
  source: string;
  providerHint?: string;
  /** When the mail reached the mailbox (IMAP INTERNALDATE, Gmail internalDate); default now. */
  receivedAt?: Date;
  correlationId?: string;
}

// Headers longer than the contracts allow are cut rather than refused: the raw bytes are what counts.
const MAX_SUBJECT = 4096;
const MAX_SENDER = 512;

/**
 * The four headers ingest needs, from the header block only: unfolded and decoded by libmime (the
 * MIME library under mailparser), about ten times cheaper than a mailparser run, which the
 * backfill's throughput needs. Header bytes are read as UTF-8 when valid (RFC 6532), else as
 * Latin-1. A mail that is not valid MIME still gives what can be read (maybe nothing): it is
 * published raw all the same.
 */
export function readHeaders(raw: Buffer, senderHeader?: string): MailHeaders {
  const { end } = headerEnd(raw);
  const head = end < 0 ? raw.subarray(0, MAX_HEADER_BLOCK) : raw.subarray(0, end);
  let headers: Record<string, string[]>;
  try {
    headers = libmime.decodeHeaders(headerText(head)) as Record<string, string[]>;
  } catch {
    return {};
  }
  const first = (name: string) => headers[name.toLowerCase()]?.[0]?.trim() || undefined;
  const decoded = (value: string | undefined) => {
    if (value === undefined) return undefined;
    try {
      return libmime.decodeWords(value);
    } catch {
      return value;
    }
  };
  const sender = addressIn((senderHeader && first(senderHeader)) || first('from') || first('sender'));
  const date = first('date') ? new Date(first('date') ?? '') : undefined;
  const messageId = /<([^<>\s]+)>/.exec(first('message-id') ?? '')?.[1] ?? first('message-id')?.split(/\s/)[0];
  return {
    messageId: messageId || undefined,
    sender: sender?.slice(0, MAX_SENDER),
    subject: decoded(first('subject'))?.replace(/\s+/g, ' ').slice(0, MAX_SUBJECT),
    date: date && !Number.isNaN(date.getTime()) ? date : undefined,
  };
}

/** Header bytes as text: UTF-8 if they are valid UTF-8, else Latin-1 (every byte kept). */
function headerText(head: Buffer): string {
  const utf8 = head.toString('utf8');
  return utf8.includes('\uFFFD') ? head.toString('latin1') : utf8;
}

/**
 * The mailbox of an address header: inside the angle brackets, else the first token with an "@".
 * A regex rather than a full RFC 5322 address parser: only the address is kept (display names
 * and groups do not matter here), and provider notices use plain From lines.
 */
function addressIn(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const angle = /<\s*([^<>\s]+@[^<>\s]+)\s*>/.exec(value);
  const bare = angle ? undefined : /(?:^|[\s,:;"(])([^\s<>"(),:;]+@[^\s<>"(),:;]+)/.exec(value);
  return (angle?.[1] ?? bare?.[1])?.toLowerCase();
}

/** True when `sender` passes a source's sender filter (no filter: every sender). */
export function senderAllowed(sender: string | undefined, filter: readonly string[] | undefined): boolean {
  if (!filter || filter.length === 0) return true;
  if (!sender) return false;
  const domain = sender.slice(sender.lastIndexOf('@') + 1);
  return filter.some((entry) => {
    if (entry.includes('@') && !entry.startsWith('@')) return sender === entry;
    const d = entry.replace(/^@/, '');
    return domain === d || domain.endsWith(`.${d}`);
  });
}

/**
 * Publishes mail as raw notices, once. The seen-set (KV `ingest-seen`) holds every notice id
 * published, written only after JetStream acknowledged the notice: a crash between the two
 * publishes again under the same Nats-Msg-Id (JetStream drops it inside its duplicate window;
 * maintenance-api stores by notice id beyond it), and a re-run publishes nothing new, however
 * long after.
 */
export class NoticePublisher {
  constructor(
    private readonly bus: Bus,
    private readonly maxMailBytes = DEFAULT_MAX_MAIL_BYTES,
  ) {}

  /** Largest mail published whole: a source need not download more of a larger one than its start. */
  get maxBytes(): number {
    return this.maxMailBytes;
  }

  /**
   * Reads a mail's headers and its notice id (`<source>:<Message-ID>`, else `<source>:sha256:<hex>`).
   * A mail over the size limit (or known by `declaredSize` to be, when only its start was fetched)
   * keeps only its header block: it is still published, stored and recorded unparsed with its size,
   * never dropped in silence.
   */
  async prepare(raw: Buffer, source: string, senderHeader?: string, declaredSize?: number): Promise<PreparedNotice> {
    const headers = readHeaders(raw, senderHeader);
    // A Message-ID too long for a notice id (or with line breaks) is no usable identity: hash instead.
    const usable = headers.messageId && headers.messageId.length <= 900 && !/[\r\n]/.test(headers.messageId) ? headers.messageId : undefined;
    const noticeId = noticeIdFor(source, usable, raw);
    const size = Math.max(raw.length, declaredSize ?? 0);
    if (size > this.maxMailBytes) return { raw: headerBlock(raw), headers, noticeId, truncatedFrom: size };
    return { raw, headers, noticeId };
  }

  /** True when this notice id was published before. */
  async seen(noticeId: string): Promise<boolean> {
    const seen = await this.bus.kv(KV_BUCKETS.ingestSeen);
    return (await seen.get(seenKey(noticeId))) !== null;
  }

  /** Publishes a prepared mail unless its notice id was published before; resolves after JetStream's ack. */
  async publish(notice: PreparedNotice, options: PublishOptions): Promise<PublishResult> {
    const { noticeId, headers, raw } = notice;
    if (await this.seen(noticeId)) return { status: 'already-seen', noticeId };
    const ack = await this.bus.publishRawNotice(
      {
        noticeId,
        source: options.source,
        receivedAt: receivedAtSeconds(options.receivedAt),
        sender: headers.sender,
        subject: headers.subject,
        providerHint: options.providerHint,
        attempt: 1,
        correlationId: options.correlationId ?? randomUUID(),
        truncatedFrom: notice.truncatedFrom,
      },
      raw,
    );
    const seen = await this.bus.kv(KV_BUCKETS.ingestSeen);
    await seen.put(seenKey(noticeId), noticeId);
    return { status: ack.duplicate ? 'already-seen' : 'published', noticeId };
  }
}

/** Furthest in the future a mail's own date may lie and still be believed as its arrival. */
const MAX_CLOCK_SKEW_MS = 24 * 3600 * 1000;

/**
 * When the mail arrived, in epoch seconds: the given time (IMAP INTERNALDATE, Gmail internalDate,
 * or a backfilled mail's Date header) when it is plausible, else now. A damaged or forged Date
 * ("Date: 1 Jan 0200", a year 9999) must not make the notice unpublishable.
 */
export function receivedAtSeconds(at: Date | undefined, now = Date.now()): number {
  const ms = at?.getTime();
  const plausible = ms !== undefined && Number.isFinite(ms) && ms >= 0 && ms <= now + MAX_CLOCK_SKEW_MS;
  return Math.floor((plausible ? ms : now) / 1000);
}

/** KV keys allow a limited alphabet; notice ids (Message-IDs) do not keep to it. */
function seenKey(noticeId: string): string {
  return sha256Hex(Buffer.from(noticeId, 'utf8'));
}
