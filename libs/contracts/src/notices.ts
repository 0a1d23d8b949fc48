import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Authenticity } from './authenticity';
import { HEADERS } from './names';
import { AlternateWindow, Maintenance } from './maintenance';

const nonEmpty = z.string().min(1);
const epochSeconds = z.number().int().nonnegative();

/** A notice id: "<source>:<Message-ID>" or "<source>:sha256:<hex>" (DESIGN.md). */
export const NoticeId = z.string().min(3).max(1024).regex(/^[^:\s]+:.+$/, 'must be "<source>:<message id or sha256>"');
/** A notice id. */
export type NoticeId = z.infer<typeof NoticeId>;

/**
 * Metadata of a raw notice. On the wire it travels in NATS headers (rawNoticeToHeaders);
 * the message body is the raw RFC 822 bytes, or empty with `objectRef` set when the mail is
 * larger than the server's max_payload.
 */
export const RawNoticeMeta = z.strictObject({
  noticeId: NoticeId,
  source: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." or "-" (max 64)'),
  receivedAt: epochSeconds,
  sender: z.string().max(512).optional(),
  subject: z.string().max(4096).optional(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  providerHint: z.string().max(64).optional(),
  attempt: z.number().int().min(1),
  correlationId: z.string().min(1).max(128),
  objectRef: z.string().regex(/^[A-Za-z0-9_-]+\/.+$/, '"<bucket>/<name>"').optional(),
  /** The mail was over ingest's size limit: its real size (the body holds its header block only). */
  truncatedFrom: z.number().int().positive().optional(),
});
/** Raw notice metadata. */
export type RawNoticeMeta = z.infer<typeof RawNoticeMeta>;

/** A raw notice: metadata plus the mail's bytes (resolved from the object store when needed). */
export interface RawNotice {
  meta: RawNoticeMeta;
  body: Uint8Array;
}

/** Notice id from the source name and the mail (its Message-ID, else the SHA-256 of its bytes). */
export function noticeIdFor(source: string, messageId: string | undefined, bytes: Uint8Array): string {
  const id = messageId?.trim().replace(/^<|>$/g, '');
  return id ? `${source}:${id}` : `${source}:sha256:${sha256Hex(bytes)}`;
}

/** Hex SHA-256 of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The Nats-Msg-Id of a raw notice: the notice id, with "#<attempt>" on reprocessing (DESIGN.md). */
export function rawNoticeMsgId(meta: Pick<RawNoticeMeta, 'noticeId' | 'attempt'>): string {
  return meta.attempt > 1 ? `${meta.noticeId}#${meta.attempt}` : meta.noticeId;
}

// Header values are one line: CR/LF would end the header block, so they become spaces.
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');

/** Raw notice metadata as NATS header pairs (UTF-8 values, one line each). */
export function rawNoticeToHeaders(meta: RawNoticeMeta): [string, string][] {
  const h: [string, string][] = [
    [HEADERS.noticeId, oneLine(meta.noticeId)],
    [HEADERS.source, meta.source],
    [HEADERS.receivedAt, String(meta.receivedAt)],
    [HEADERS.size, String(meta.size)],
    [HEADERS.sha256, meta.sha256],
    [HEADERS.attempt, String(meta.attempt)],
    [HEADERS.correlationId, oneLine(meta.correlationId)],
    [HEADERS.contentType, 'message/rfc822'],
  ];
  if (meta.sender !== undefined) h.push([HEADERS.sender, oneLine(meta.sender)]);
  if (meta.subject !== undefined) h.push([HEADERS.subject, oneLine(meta.subject)]);
  if (meta.providerHint !== undefined) h.push([HEADERS.providerHint, meta.providerHint]);
  if (meta.objectRef !== undefined) h.push([HEADERS.objectRef, meta.objectRef]);
  if (meta.truncatedFrom !== undefined) h.push([HEADERS.truncatedFrom, String(meta.truncatedFrom)]);
  return h;
}

/** Reads raw notice metadata back from headers; throws a ZodError naming the bad header's field. */
export function rawNoticeFromHeaders(get: (name: string) => string | undefined): RawNoticeMeta {
  const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
  const opt = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
  return RawNoticeMeta.parse({
    noticeId: get(HEADERS.noticeId),
    source: get(HEADERS.source),
    receivedAt: num(get(HEADERS.receivedAt)),
    sender: opt(get(HEADERS.sender)),
    subject: opt(get(HEADERS.subject)),
    size: num(get(HEADERS.size)),
    sha256: get(HEADERS.sha256),
    providerHint: opt(get(HEADERS.providerHint)),
    attempt: num(get(HEADERS.attempt)) ?? 1,
    correlationId: get(HEADERS.correlationId),
    objectRef: opt(get(HEADERS.objectRef)),
    truncatedFrom: num(get(HEADERS.truncatedFrom)),
  });
}

/** maintenance.parsed.v1: one maintenance of a notice, with where it came from. */
export const MaintenanceParsed = z.strictObject({
  noticeId: NoticeId,
  attempt: z.number().int().min(1),
  /** Position of this maintenance among the notice's maintenances (0-based). */
  index: z.number().int().nonnegative(),
  /** How many maintenances the notice gave (so a consumer knows it has them all). */
  count: z.number().int().min(1),
  /** The registry's provider type: the first half of the maintenance key. */
  providerType: z.string().regex(/^[a-z0-9-]+$/),
  parsers: z.array(nonEmpty).min(1),
  maintenance: Maintenance,
  /** Further windows of this maintenance the notice names (a backup timeslot), for its window history. */
  alternateWindows: z.array(AlternateWindow).optional(),
  /** Whether the notice is authenticated for the provider's domain (absent: not checked). */
  authenticity: Authenticity.optional(),
});
/** A parsed maintenance envelope. */
export type MaintenanceParsed = z.infer<typeof MaintenanceParsed>;

/** notice.unparsed.v1: a notice of a known provider (or unreadable mail) that gave no maintenance. */
export const NoticeUnparsed = z.strictObject({
  noticeId: NoticeId,
  attempt: z.number().int().min(1),
  providerType: z.string().optional(),
  sender: z.string().optional(),
  subject: z.string().optional(),
  reasons: z.array(nonEmpty).min(1),
});
/** An unparsed notice record. */
export type NoticeUnparsed = z.infer<typeof NoticeUnparsed>;

/** notice.ignored.v1: mail that is not a maintenance notice (unknown sender and no BCOP calendar). */
export const NoticeIgnored = z.strictObject({
  noticeId: NoticeId,
  attempt: z.number().int().min(1),
  providerType: z.string().optional(),
  sender: z.string().optional(),
  subject: z.string().optional(),
  reason: nonEmpty,
});
/** An ignored notice record. */
export type NoticeIgnored = z.infer<typeof NoticeIgnored>;
