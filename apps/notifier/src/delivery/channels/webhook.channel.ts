import { createHmac } from 'node:crypto';
import { HEADERS } from '@maintwatch/contracts';
import type { Secret } from '../../routing/secret';
import { plainText } from '../../rendering/plain-text';
import type { MessageContent } from '../../rendering/notification';
import type { Channel, SendContext } from './channel';
import { outcomeOfError, outcomeOfStatus, request, type SendOutcome } from './http-request';

/** Header with `sha256=<hex HMAC-SHA256(key, body)>`. */
export const SIGNATURE_HEADER = 'X-Maintwatch-Signature';
/** Header set to `true` on a re-send after an in-doubt attempt. */
export const POSSIBLE_REPEAT_HEADER = 'X-Maintwatch-Possible-Repeat';

/** The JSON body of a generic webhook call. */
export interface WebhookBody {
  version: 1;
  eventId: string;
  type: string;
  destination: string;
  possibleRepeat: boolean;
  correlationId?: string;
  title: string;
  text: string;
  facts: { label: string; value: string }[];
  links: MessageContent['links'];
  /** The LifecycleEvent as published on maintenance.event.v1.<type>, or the unparsed notice. */
  event?: unknown;
  notice?: unknown;
  /** The DeviceEvent as published on device.event.v1.<kind>. */
  device?: unknown;
  /** The DrainStepEvent as published on device.drain.v1.<step>. */
  drain?: unknown;
}

/**
 * A generic JSON webhook: `Idempotency-Key: <event id>` (the receiver's de-duplication key) and
 * an HMAC-SHA256 signature of the exact body bytes. 2xx delivered; 408/425/429/5xx retried.
 */
export class WebhookChannel implements Channel {
  readonly canLookup = false;
  constructor(
    private readonly url: Secret,
    private readonly key: Secret,
    private readonly timeoutMs: number,
  ) {}

  async send(content: MessageContent, ctx: SendContext): Promise<SendOutcome> {
    const payload: WebhookBody = {
      version: 1,
      eventId: content.eventId,
      type: content.type,
      destination: ctx.destination,
      possibleRepeat: content.possibleRepeat,
      correlationId: ctx.correlationId,
      title: content.title,
      text: plainText(content),
      facts: content.facts,
      links: content.links,
      ...(ctx.event.kind === 'lifecycle' ? { event: ctx.event.event } : ctx.event.kind === 'device' ? { device: ctx.event.device } : ctx.event.kind === 'drain' ? { drain: ctx.event.drain } : { notice: ctx.event.notice }),
    };
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'maintwatch-notifier',
      'idempotency-key': content.eventId,
      [SIGNATURE_HEADER]: `sha256=${createHmac('sha256', this.key.reveal()).update(body).digest('hex')}`,
    };
    if (ctx.correlationId) headers[HEADERS.correlationId] = ctx.correlationId;
    if (content.possibleRepeat) headers[POSSIBLE_REPEAT_HEADER] = 'true';
    try {
      const res = await request(this.url.reveal(), { method: 'POST', headers, body, timeoutMs: this.timeoutMs });
      return outcomeOfStatus(res, 'webhook');
    } catch (err) {
      return outcomeOfError(err);
    }
  }
}
