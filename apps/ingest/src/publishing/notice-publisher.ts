import { randomUUID } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { KV_BUCKETS, noticeIdFor, sha256Hex } from '@maintwatch/contracts';
import type { Bus } from '@maintwatch/messaging';

/** What ingest knows of a mail before publishing it. */
export interface MailHeaders {
  messageId?: string;
  sender?: string;
  subject?: string;
  date?: Date;
}

/** How one publish ended. */
export type PublishResult = { status: 'published' | 'already-seen'; noticeId: string };

/** Header block only: parsing a 25 MB body to read four headers would be wasted work. */
export async function readHeaders(raw: Buffer, senderHeader?: string): Promise<MailHeaders> {
  let end = raw.indexOf('\r\n\r\n');
  if (end < 0) end = raw.indexOf('\n\n');
  const head = end < 0 ? raw : raw.subarray(0, end + 2);
  const parsed = await simpleParser(Buffer.concat([head, Buffer.from('\r\n')]), { skipHtmlToText: true, skipTextToHtml: true });
  let sender = parsed.from?.value.find((a) => a.address)?.address?.toLowerCase();
  if (senderHeader) {
    const v = parsed.headers.get(senderHeader.toLowerCase());
    const text = typeof v === 'string' ? v : (v as { text?: string } | undefined)?.text;
    const addr = text && /[^\s<>"]+@[^\s<>"]+/.exec(text);
    if (addr) sender = addr[0].toLowerCase();
  }
  return {
    messageId: parsed.messageId ?? undefined,
    sender,
    subject: parsed.subject ?? undefined,
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : undefined,
  };
}

/**
 * Publishes mail as raw notices, once: the seen-set (KV `ingest-seen`) holds every notice id
 * published, written only after JetStream acknowledged the notice, so a crash between the
 * two republishes (harmless: same Nats-Msg-Id, and maintenance-api stores by notice id) and
 * a re-run publishes nothing new, however long after.
 */
export class NoticePublisher {
  constructor(private readonly bus: Bus) {}

  /** Publishes one mail unless its notice id was published before. */
  async publish(
    raw: Buffer,
    options: { source: string; providerHint?: string; senderHeader?: string; headers?: MailHeaders; correlationId?: string },
  ): Promise<PublishResult> {
    const headers = options.headers ?? (await readHeaders(raw, options.senderHeader));
    const noticeId = noticeIdFor(options.source, headers.messageId, raw);
    const seen = await this.bus.kv(KV_BUCKETS.ingestSeen);
    const key = seenKey(noticeId);
    if (await seen.get(key)) return { status: 'already-seen', noticeId };
    await this.bus.publishRawNotice(
      {
        noticeId,
        source: options.source,
        receivedAt: Math.floor(Date.now() / 1000),
        sender: headers.sender,
        subject: headers.subject,
        providerHint: options.providerHint,
        attempt: 1,
        correlationId: options.correlationId ?? randomUUID(),
      },
      raw,
    );
    await seen.put(key, noticeId);
    return { status: 'published', noticeId };
  }
}

/** KV keys allow a limited alphabet; notice ids (Message-IDs) do not keep to it. */
function seenKey(noticeId: string): string {
  return sha256Hex(Buffer.from(noticeId, 'utf8'));
}
