import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { DeviceEvent } from '@maintwatch/contracts';
import { Store, isTransientStoreError } from '@maintwatch/persistence';
import { deviceEventId, kindOf, severityOf } from '../events/device-event-kind';
import { EventSignal } from '../events/event-signal';
import { PriorityRulesService } from '../events/priority-rules.service';
import { WebhookBody } from './webhook-body';
import { WebhookMetrics, type WebhookOutcome } from './webhook.metrics';
import { WebhookVerifier } from './webhook-verifier';
import { SourceRateLimiter } from './source-rate-limiter';

/** Injection token of the webhook options. */
export const WEBHOOK_OPTIONS = Symbol('WEBHOOK_OPTIONS');
/** How webhooks are received. */
export interface WebhookOptions {
  secrets: readonly string[];
  windowSeconds: number;
  acceptLegacy: boolean;
  maxBytes: number;
  ratePerSecond: number;
  rateBurst: number;
  now?: () => number;
}

/** One request as the route hands it over: the raw bytes, never parsed JSON. */
export interface WebhookRequest {
  source: string;
  auth?: string;
  timestamp?: string;
  body: Buffer;
}

/** What the route answers. The device only learns 401 for any signature problem. */
export interface WebhookResponse {
  status: 200 | 202 | 400 | 401 | 413 | 429 | 503;
  body: Record<string, unknown>;
  outcome: WebhookOutcome;
}

const REFUSED: WebhookResponse['body'] = { error: 'unauthorized' };

/**
 * A device webhook: rate limit per source, signature over the raw bytes, then (and only then)
 * JSON, classification and storage. Refused requests store nothing; a stored event goes out
 * through the relay (device.event.v1.<kind>), never from here.
 */
@Injectable()
export class ReceiveWebhook {
  private readonly logger = new Logger('Webhook');
  private readonly verifier: WebhookVerifier;
  private readonly limiter: SourceRateLimiter;
  private readonly now: () => number;

  constructor(
    @Inject(WEBHOOK_OPTIONS) private readonly options: WebhookOptions,
    @Inject(Store) private readonly store: Store,
    @Inject(PriorityRulesService) private readonly priorities: PriorityRulesService,
    @Inject(EventSignal) private readonly signal: EventSignal,
    @Inject(WebhookMetrics) private readonly metrics: WebhookMetrics,
  ) {
    this.verifier = new WebhookVerifier({ secrets: options.secrets, windowSeconds: options.windowSeconds, acceptLegacy: options.acceptLegacy });
    this.limiter = new SourceRateLimiter(options.ratePerSecond, options.rateBurst);
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
  }

  /** The largest body accepted (the route refuses more before reading it all). */
  get maxBytes(): number {
    return this.options.maxBytes;
  }

  /** Counts a request the HTTP layer refused before it got here (too large). */
  refusedOversized(source: string): WebhookResponse {
    this.metrics.count('oversized', 'none', 0);
    this.logger.warn(`webhook from ${source} refused: larger than ${this.options.maxBytes} bytes`);
    return { status: 413, body: { error: 'payload too large' }, outcome: 'oversized' };
  }

  /** Handles one request. */
  async handle(req: WebhookRequest): Promise<WebhookResponse> {
    const started = process.hrtime.bigint();
    const res = await this.process(req);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.metrics.count(res.outcome, typeof res.body.priority === 'number' ? res.body.priority : 'none', seconds);
    return res;
  }

  private async process(req: WebhookRequest): Promise<WebhookResponse> {
    if (!this.limiter.take(req.source)) return { status: 429, body: { error: 'too many requests' }, outcome: 'rate-limited' };
    if (req.body.length > this.options.maxBytes) return { status: 413, body: { error: 'payload too large' }, outcome: 'oversized' };
    const now = this.now();
    const v = this.verifier.verify(req.auth, req.timestamp, req.body, now);
    if (!v.ok) return { status: 401, body: REFUSED, outcome: v.reason };

    let body: WebhookBody;
    try {
      const parsed = WebhookBody.safeParse(JSON.parse(req.body.toString('utf8')));
      if (!parsed.success) {
        const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
        return { status: 400, body: { error: `not a device event: ${why}` }, outcome: 'malformed' };
      }
      body = parsed.data;
    } catch {
      return { status: 400, body: { error: 'not a device event: the body is not JSON' }, outcome: 'malformed' };
    }

    const priority = this.priorities.classify(body.event);
    if (priority === 4) return { status: 200, body: { dropped: true, priority }, outcome: 'dropped' };

    // A retry of the same event (same agent id, or the same bytes) is the same event.
    const eventKey = body.id !== undefined ? `id:${body.id}` : `sha256:${createHash('sha256').update(req.body).digest('hex')}`;
    const device = body.hostname;
    const attributes: Record<string, string> = {};
    if (body.process) attributes.process = body.process;
    if (body.detail) attributes.detail = body.detail;
    attributes.scheme = v.scheme;
    const event: DeviceEvent = {
      eventId: deviceEventId(device, eventKey),
      device,
      kind: kindOf(body.event),
      severity: severityOf(priority),
      junosEvent: body.event,
      priority,
      occurredAt: body.time ?? v.timestamp ?? now,
      receivedAt: now,
      message: body.message,
      attributes,
    };
    try {
      const inserted = await this.store.repos.deviceEvents.insert([{ event, eventKey, source: req.source }]);
      if (inserted.length === 0) return { status: 200, body: { eventId: event.eventId, duplicate: true, priority }, outcome: 'duplicate' };
    } catch (err) {
      // The device's retry (a new timestamp, or the same one) must be able to pass.
      this.verifier.forget(v.signature);
      if (!isTransientStoreError(err)) this.logger.error(`webhook ${event.eventId} not stored: ${(err as Error).message}`);
      return { status: 503, body: { error: 'not stored, retry later' }, outcome: 'store-unavailable' };
    }
    this.signal.notify();
    return { status: 202, body: { eventId: event.eventId, priority }, outcome: 'accepted' };
  }
}
