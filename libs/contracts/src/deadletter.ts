import { z } from 'zod';

/** deadletter.v1.<service>: a message a consumer terminated, kept for inspection and replay. */
export const DeadLetter = z.strictObject({
  service: z.string().min(1),
  consumer: z.string().min(1),
  stream: z.string().min(1),
  streamSeq: z.number().int().nonnegative(),
  subject: z.string().min(1),
  deliveries: z.number().int().min(1),
  reason: z.string().min(1),
  errorName: z.string(),
  failedAt: z.number().int().nonnegative(),
  headers: z.record(z.string(), z.string()),
  /** The original body, base64 (bodies over 64 KiB are cut; `truncated` says so). */
  payloadBase64: z.string(),
  truncated: z.boolean(),
});
/** A dead-letter record. */
export type DeadLetter = z.infer<typeof DeadLetter>;
