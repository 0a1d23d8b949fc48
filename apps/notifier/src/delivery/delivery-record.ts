import { z } from 'zod';

/**
 * pending: to be sent (now or at nextAttemptAt); sending: a request is (or was, before a crash)
 * under way; sent: delivered; dead: given up (dead-letter record written).
 */
export const DeliveryState = z.enum(['pending', 'sending', 'sent', 'dead']);
/** A delivery state. */
export type DeliveryState = z.infer<typeof DeliveryState>;

/** How an in-doubt delivery was resolved. */
export const InDoubtResolution = z.enum(['found', 'not-found', 'resent']);
/** An in-doubt resolution. */
export type InDoubtResolution = z.infer<typeof InDoubtResolution>;

/** One (event, destination) delivery: the idempotency record, keyed `d.<destination>.<eventId>`. */
export const DeliveryRecord = z.object({
  eventId: z.string(),
  destination: z.string(),
  type: z.string(),
  state: DeliveryState,
  /** Requests made so far. */
  attempts: z.number().int().nonnegative(),
  /** Epoch ms the event was taken in (event-to-post latency starts here). */
  createdAt: z.number(),
  updatedAt: z.number(),
  /** pending: not before this. */
  nextAttemptAt: z.number().optional(),
  /** sending: after this the sender is presumed dead and the outcome in doubt. */
  leaseUntil: z.number().optional(),
  /** When the first request went out (where a search for the message starts). */
  firstSentAt: z.number().optional(),
  /** The instance that wrote it last. */
  owner: z.string(),
  /** The last request's outcome is unknown: resolve before sending again. */
  inDoubt: z.boolean().optional(),
  /** The next (or last) post is marked as a possible repeat. */
  possibleRepeat: z.boolean().optional(),
  resolution: InDoubtResolution.optional(),
  /** The service's id of the message (Slack ts). */
  remoteId: z.string().optional(),
  sentAt: z.number().optional(),
  lastError: z.string().optional(),
});
/** A delivery record. */
export type DeliveryRecord = z.infer<typeof DeliveryRecord>;

/** The event a delivery is about, stored once under `e.<eventId>`. */
export const EventEntry = z.object({
  eventId: z.string(),
  kind: z.enum(['lifecycle', 'unparsed', 'device', 'drain']),
  subject: z.string(),
  stream: z.string(),
  streamSeq: z.number().int().nonnegative(),
  correlationId: z.string().optional(),
  receivedAt: z.number(),
  /** The LifecycleEvent, NoticeUnparsed or DeviceEvent, as received. */
  payload: z.unknown(),
});
/** A stored event. */
export type EventEntry = z.infer<typeof EventEntry>;

/** KV key of a delivery. */
export const deliveryKey = (destination: string, eventId: string) => `d.${destination}.${eventId}`;
/** KV key of an event. */
export const eventKey = (eventId: string) => `e.${eventId}`;

/** True for states that still need work. */
export const isOpen = (r: Pick<DeliveryRecord, 'state'>) => r.state === 'pending' || r.state === 'sending';
