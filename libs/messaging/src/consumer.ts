import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { HEADERS, SUBJECTS, schemaFor, type DeadLetter, type StreamKey } from '@maintwatch/contracts';
import { newCorrelationId, withCorrelation } from '@maintwatch/observability';
import { PayloadError, PermanentError, TransientError } from './errors';
import type { Bus, ConsumerStart } from './bus';

/** A durable pull consumer and how its messages are handled. */
export interface ConsumerSpec {
  stream: StreamKey;
  /** Durable name: the service (and purpose) that consumes. */
  durable: string;
  /** Contract subject (no namespace), wildcards allowed. */
  filterSubject: string;
  /** Messages handled at once. Default 4. */
  concurrency?: number;
  /** Deliveries before a failing message is dead-lettered. Default 8. */
  maxDeliver?: number;
  /** Redelivery when not acked (handlers call working() to extend). Default 30 s. */
  ackWaitMs?: number;
  /** Backoff for transient errors: delay = min(max, base * 2^(delivery-1)). Defaults 1 s, 60 s. */
  nakBaseDelayMs?: number;
  nakMaxDelayMs?: number;
  /**
   * Where the consumer starts when it does not exist yet: 'all' (default) the stream's whole
   * history, 'new' only messages stored from then on. An existing consumer keeps its position.
   */
  startAt?: ConsumerStart;
}

/** What a handler sees besides the payload. */
export interface MessageContext {
  /** Contract subject (namespace removed). */
  subject: string;
  /** The header value, or undefined. */
  header(name: string): string | undefined;
  /** 1 on the first delivery. */
  deliveryCount: number;
  streamSequence: number;
  correlationId?: string;
  /** Tells JetStream the handler is still busy (resets ack_wait). Called automatically too. */
  working(): void;
  /** The underlying message, for what the API does not cover. */
  raw: JsMsg;
}

/** Decodes a message into the handler's payload. */
export type Decoder = (msg: JsMsg, subject: string) => Promise<unknown>;
/** Handles one payload; resolve = ack, TransientError = nak(delay), PermanentError = term + dead letter. */
export type Handler = (payload: unknown, ctx: MessageContext) => Promise<void>;
/** Picks the handler of a subject (undefined: none registered, the message is dead-lettered). */
export type Dispatch = (subject: string) => Handler | undefined;

/** How a message ended: for metrics and logs. */
export type Outcome = 'ack' | 'nak' | 'term';

/** Hooks for observability. */
export interface ConsumerHooks {
  onOutcome?(o: { subject: string; outcome: Outcome; durationMs: number; error?: unknown; deliveryCount: number }): void;
  onError?(err: unknown, where: string): void;
}

/** A running consumer. */
export interface RunningConsumer {
  /** Stops pulling, returns buffered messages to the server, waits for in-flight handlers. */
  stop(): Promise<void>;
  readonly inFlight: number;
}

/**
 * JSON payloads are validated against their subject's schema; raw notices are read from
 * headers + body (+ object store). A payload that does not decode is a PermanentError.
 */
export function defaultDecoder(bus: Bus): Decoder {
  return async (msg, subject) => {
    if (subject === SUBJECTS.noticeReceived) return bus.readRawNotice(msg.headers, msg.data);
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(msg.data));
    } catch (err) {
      throw new PayloadError(subject, ['body is not UTF-8 JSON'], { cause: err });
    }
    const schema = schemaFor(subject);
    if (!schema) return value;
    const res = schema.safeParse(value);
    if (!res.success) throw new PayloadError(subject, res.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
    return res.data;
  };
}

/**
 * Consumes a durable pull consumer with an explicit outcome per message: ack on success,
 * nak with backoff on a transient error, term plus a dead-letter record on a permanent one
 * (or when deliveries run out). Bounded concurrency; reconnects are the client's.
 */
export async function startConsumer(
  bus: Bus,
  spec: ConsumerSpec,
  dispatch: Dispatch,
  options: { service: string; decoder?: Decoder; hooks?: ConsumerHooks },
): Promise<RunningConsumer> {
  const concurrency = spec.concurrency ?? 4;
  const maxDeliver = spec.maxDeliver ?? 8;
  const ackWaitMs = spec.ackWaitMs ?? 30_000;
  const base = spec.nakBaseDelayMs ?? 1000;
  const max = spec.nakMaxDelayMs ?? 60_000;
  await bus.ensureConsumer({
    stream: spec.stream,
    durable: spec.durable,
    filterSubject: spec.filterSubject,
    maxDeliver,
    ackWaitMs,
    maxAckPending: Math.max(concurrency * 4, 64),
    startAt: spec.startAt,
  });
  const decoder = options.decoder ?? defaultDecoder(bus);
  const consumer = await bus.js.consumers.get(bus.ns.stream(spec.stream), spec.durable);
  let stopping = false;
  const inFlight = new Set<Promise<void>>();
  let slotFree: (() => void) | undefined;

  const handleOne = async (msg: JsMsg): Promise<void> => {
    const started = Date.now();
    const subject = bus.ns.unsubject(msg.subject);
    const deliveryCount = msg.info.deliveryCount;
    const heartbeat = setInterval(() => msg.working(), Math.max(1000, Math.floor(ackWaitMs / 3)));
    let outcome: Outcome = 'ack';
    let error: unknown;
    try {
      const handler = dispatch(subject);
      if (!handler) throw new PermanentError(`no handler for subject ${subject}`);
      const payload = await decoder(msg, subject);
      // The correlation id travels from ingest to notifier: every log line and every
      // publish made while handling this message carries it.
      const correlationId = msg.headers?.get(HEADERS.correlationId) || newCorrelationId();
      await withCorrelation(correlationId, () => handler(payload, {
        subject,
        header: (n) => msg.headers?.get(n) || undefined,
        deliveryCount,
        streamSequence: msg.info.streamSequence,
        correlationId,
        working: () => msg.working(),
        raw: msg,
      }));
      // A plain ack, not a confirmed one (ackAck): every consumer is idempotent (DESIGN.md), so an
      // ack lost to a crash only redelivers a message whose redelivery changes nothing, and a
      // confirmed ack cost each message one more request/reply through nats-server (bench:e2e
      // 2026-12-07: ~8,000 of them for 2,000 mails, on 2 shared cores). Bus.close() drains, so a
      // graceful stop sends every ack before the connection closes.
      try {
        msg.ack();
      } catch (ackErr) {
        // The connection is closed: the work is done and the redelivery will change nothing.
        options.hooks?.onError?.(ackErr, 'ack');
      }
    } catch (err) {
      error = err;
      const permanent = err instanceof PermanentError;
      if (permanent || deliveryCount >= maxDeliver) {
        outcome = 'term';
        try {
          await deadLetter(bus, options.service, spec, msg, subject, err, permanent ? 'permanent error' : `gave up after ${deliveryCount} deliveries`);
          // No reason string: "+TERM <reason>" is understood from nats-server 2.10.4 on; older
          // servers (Debian 12 ships 2.9) ignore it as an unknown ack and redeliver the message
          // until max_deliver, dead-lettering it again each time. The reason is in the record.
          msg.term();
        } catch (dlqErr) {
          // The dead-letter record could not be written: keep the message instead of losing it.
          outcome = 'nak';
          msg.nak(max);
          options.hooks?.onError?.(dlqErr, 'dead-letter publish');
        }
      } else {
        outcome = 'nak';
        const delay = err instanceof TransientError && err.delayMs !== undefined ? err.delayMs : Math.min(max, base * 2 ** (deliveryCount - 1));
        msg.nak(delay);
      }
    } finally {
      clearInterval(heartbeat);
      options.hooks?.onOutcome?.({ subject, outcome, durationMs: Date.now() - started, error, deliveryCount });
    }
  };

  let messages: ConsumerMessages | undefined;
  const loop = (async () => {
    while (!stopping) {
      try {
        messages = await consumer.consume({ max_messages: concurrency, idle_heartbeat: 5000, expires: 30_000 });
        for await (const msg of messages) {
          if (stopping) {
            // Pulled but not started: hand it straight back for another replica.
            msg.nak();
            continue;
          }
          while (inFlight.size >= concurrency) await new Promise<void>((r) => (slotFree = r));
          const p = handleOne(msg).finally(() => {
            inFlight.delete(p);
            slotFree?.();
          });
          inFlight.add(p);
        }
      } catch (err) {
        if (stopping) break;
        options.hooks?.onError?.(err, `consume ${spec.durable}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  })();

  return {
    get inFlight() {
      return inFlight.size;
    },
    async stop() {
      stopping = true;
      slotFree?.();
      await messages?.close().catch(() => undefined);
      await Promise.allSettled([...inFlight]);
      await loop.catch(() => undefined);
    },
  };
}

async function deadLetter(
  bus: Bus,
  service: string,
  spec: ConsumerSpec,
  msg: JsMsg,
  subject: string,
  err: unknown,
  why: string,
): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [k, v] of msg.headers ?? []) headers[k] = v.join(', ');
  const LIMIT = 64 * 1024;
  const record: DeadLetter = {
    service,
    consumer: spec.durable,
    stream: msg.info.stream,
    streamSeq: msg.info.streamSequence,
    subject,
    deliveries: msg.info.deliveryCount,
    reason: truncate(`${why}: ${(err as Error)?.message ?? String(err)}`, 4000),
    errorName: (err as Error)?.name ?? typeof err,
    failedAt: Math.floor(Date.now() / 1000),
    headers,
    payloadBase64: Buffer.from(msg.data.subarray(0, LIMIT)).toString('base64'),
    truncated: msg.data.length > LIMIT,
  };
  await bus.publish(`deadletter.v1.${service}`, record, { msgId: `dl:${msg.info.stream}:${msg.info.streamSequence}:${spec.durable}` });
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}
