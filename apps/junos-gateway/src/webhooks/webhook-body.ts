import { z } from 'zod';

/**
 * What the on-box agent (agent/maintwatch-webhook.py) sends, and the seed agent before it:
 * `{event, process, message, hostname, detail}`; the shipped agent adds `time` (the event's
 * own time, epoch seconds) and `id` (one per event, the same on every retry of it).
 */
export const WebhookBody = z.object({
  event: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'must be a Junos event id such as SNMP_TRAP_LINK_DOWN'),
  hostname: z.string().trim().min(1).max(255),
  process: z.string().max(255).default(''),
  message: z.string().max(16_384).default(''),
  detail: z.string().max(65_536).default(''),
  time: z.number().int().nonnegative().optional(),
  id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/).optional(),
});
/** A verified, parsed webhook body. */
export type WebhookBody = z.output<typeof WebhookBody>;
