import { connect } from '@nats-io/transport-node';
import { headers as natsHeaders, type MsgHdrs, type NatsConnection } from '@nats-io/nats-core';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
  type PubAck,
  type StreamConfig,
} from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { Objm, type ObjectStore } from '@nats-io/obj';
import { backOff } from 'exponential-backoff';
import {
  HEADERS,
  KV_BUCKETS,
  OBJECT_STORES,
  STREAMS,
  SUBJECTS,
  rawNoticeFromHeaders,
  rawNoticeMsgId,
  rawNoticeToHeaders,
  schemaFor,
  sha256Hex,
  type JsonSubject,
  type PayloadOf,
  type RawNotice,
  RawNoticeMeta,
  type StreamKey,
} from '@maintwatch/contracts';
import { currentCorrelationId } from '@maintwatch/observability';
import { PayloadError, PermanentError, PublishError, TransientError } from './errors';
import { Namespace } from './namespace';

const nanos = (ms: number) => ms * 1_000_000;
const DAY = 24 * 3600 * 1000;

/** How to reach NATS and how to name things there. */
export interface BusOptions {
  /** nats://host:port (comma-separated for a cluster); credentials may be in the URL or below. */
  servers: string | string[];
  /** Client name shown by the server (the service name). */
  name: string;
  /** Prefix for every subject, stream and bucket (tests, several deployments on one server). */
  namespace?: string;
  user?: string;
  pass?: string;
  token?: string;
  /** TLS: verified by default; `caFile` trusts a private CA. */
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
  /** JetStream de-duplication window; the stores guarantee idempotency beyond it. Default 2 min. */
  duplicateWindowMs?: number;
  /** Give up acknowledging one publish after this long (retries included). Default 30 s. */
  publishTimeoutMs?: number;
  /** How long large notices stay in the object store (maintenance-api copies them). Default 7 days. */
  largeNoticeTtlMs?: number;
  /** Retention per stream. Defaults: 30 days; dead letters 90 days. */
  streamMaxAgeMs?: Partial<Record<StreamKey, number>>;
  /** Declare streams, buckets and object stores at start (MessagingModule). Default true. */
  provision?: boolean;
  /** Replicas of every stream, KV bucket and object store (3 on a 3-node JetStream cluster). Default 1. */
  replicas?: number;
}

/** Where a newly created durable consumer starts: the stream's whole history, or only what comes next. */
export type ConsumerStart = 'all' | 'new';

/** Options of one JSON publish. */
export interface PublishOptions {
  /** Nats-Msg-Id: the message's identity (idempotency key). */
  msgId: string;
  correlationId?: string;
  headers?: Record<string, string>;
}

/**
 * One NATS connection with JetStream, KV and object store, and the typed publish API.
 * Apps get it from the Nest module; they never touch the client directly.
 */
export class Bus {
  readonly ns: Namespace;
  readonly js: JetStreamClient;
  private jsmCache?: JetStreamManager;
  private readonly kvCache = new Map<string, Promise<KV>>();
  private objCache?: Promise<ObjectStore>;

  private constructor(
    readonly nc: NatsConnection,
    readonly options: BusOptions,
  ) {
    this.ns = new Namespace(options.namespace ?? '');
    this.js = jetstream(nc, { timeout: 10_000 });
  }

  /** Connects (retrying forever on disconnects afterwards). */
  static async connect(options: BusOptions): Promise<Bus> {
    const servers = Array.isArray(options.servers) ? options.servers : options.servers.split(',').map((s) => s.trim());
    const nc = await connect({
      servers,
      name: options.name,
      user: options.user,
      pass: options.pass,
      token: options.token,
      tls: options.tls ? { caFile: options.tls.caFile, certFile: options.tls.certFile, keyFile: options.tls.keyFile } : undefined,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      reconnectJitter: 250,
      waitOnFirstConnect: false,
      pingInterval: 10_000,
      // nats.js otherwise captures a stack trace for every request: ~10% of CPU on a backfill.
      noAsyncTraces: true,
    });
    return new Bus(nc, options);
  }

  /** JetStream manager (streams, consumers). */
  async jsm(): Promise<JetStreamManager> {
    this.jsmCache ??= await jetstreamManager(this.nc, { timeout: 10_000 });
    return this.jsmCache;
  }

  /** The server's max_payload: larger raw notices go through the object store. */
  get maxPayload(): number {
    return this.nc.info?.max_payload ?? 1024 * 1024;
  }

  /** True while connected. */
  get connected(): boolean {
    return !this.nc.isClosed() && this.nc.info !== undefined && !(this.nc as { isReconnecting?: () => boolean }).isReconnecting?.();
  }

  /** Round trip to the server (readiness): throws when NATS does not answer. */
  async ping(timeoutMs = 2000): Promise<void> {
    await withTimeout(this.nc.flush(), timeoutMs, 'NATS did not answer a ping');
  }

  /**
   * Declares every stream, KV bucket and object store of the contracts. Idempotent: run by
   * every service at start; a stream whose config drifted is updated in place.
   */
  async provision(): Promise<void> {
    const jsm = await this.jsm();
    const dup = this.options.duplicateWindowMs ?? 2 * 60 * 1000;
    const replicas = this.options.replicas ?? 1;
    for (const key of Object.keys(STREAMS) as StreamKey[]) {
      const maxAge = this.options.streamMaxAgeMs?.[key] ?? (key === 'DEADLETTER' ? 90 : 30) * DAY;
      const config: Partial<StreamConfig> & { name: string } = {
        name: this.ns.stream(key),
        subjects: STREAMS[key].subjects.map((s) => this.ns.subject(s)),
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        discard: DiscardPolicy.Old,
        max_age: nanos(maxAge),
        duplicate_window: nanos(Math.min(dup, maxAge)),
        num_replicas: replicas,
      };
      await this.upsertStream(jsm, config);
    }
    const kvm = new Kvm(this.js);
    for (const bucket of Object.values(KV_BUCKETS)) {
      const history = bucket === KV_BUCKETS.ingestSeen ? 1 : 5;
      const kv = kvm.create(this.ns.bucket(bucket), { history, storage: StorageType.File, replicas });
      this.kvCache.set(bucket, kv);
      await kv;
      await ensureReplicas(jsm, `KV_${this.ns.bucket(bucket)}`, replicas);
    }
    this.objCache = new Objm(this.js).create(this.ns.objectStore(OBJECT_STORES.largeNotices), {
      ttl: nanos(this.options.largeNoticeTtlMs ?? 7 * DAY),
      storage: StorageType.File,
      replicas,
    });
    await this.objCache;
    await ensureReplicas(jsm, `OBJ_${this.ns.objectStore(OBJECT_STORES.largeNotices)}`, replicas);
  }

  private async upsertStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
    try {
      const info = await jsm.streams.info(config.name);
      const same =
        JSON.stringify(info.config.subjects) === JSON.stringify(config.subjects) &&
        info.config.duplicate_window === config.duplicate_window &&
        info.config.max_age === config.max_age &&
        info.config.num_replicas === config.num_replicas;
      if (!same) await jsm.streams.update(config.name, config);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await jsm.streams.add(config);
    }
  }

  /** A KV bucket of the contracts (provisioned). */
  kv(bucket: (typeof KV_BUCKETS)[keyof typeof KV_BUCKETS]): Promise<KV> {
    let kv = this.kvCache.get(bucket);
    if (!kv) {
      kv = new Kvm(this.js).open(this.ns.bucket(bucket));
      this.kvCache.set(bucket, kv);
    }
    return kv;
  }

  private objectStore(): Promise<ObjectStore> {
    this.objCache ??= new Objm(this.js).open(this.ns.objectStore(OBJECT_STORES.largeNotices));
    return this.objCache;
  }

  /**
   * Publishes a JSON payload on its subject and resolves once JetStream stored it (or
   * recognised the msgId as a duplicate). The payload is validated against the subject's
   * schema first: a wrong payload is a PayloadError, never a message on the wire.
   */
  async publish<S extends JsonSubject>(subject: S, payload: PayloadOf<S>, options: PublishOptions): Promise<PubAck> {
    const schema = schemaFor(subject);
    if (schema) {
      const res = schema.safeParse(payload);
      if (!res.success) throw new PayloadError(subject, res.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
    }
    const h = natsHeaders();
    const correlationId = options.correlationId ?? currentCorrelationId();
    if (correlationId) h.set(HEADERS.correlationId, correlationId);
    h.set(HEADERS.contentType, 'application/json');
    for (const [k, v] of Object.entries(options.headers ?? {})) h.set(k, v);
    return this.publishBytes(subject, new TextEncoder().encode(JSON.stringify(payload)), options.msgId, h);
  }

  /**
   * Publishes a raw notice: the bytes as the body and the metadata in headers; a mail larger
   * than the server's max_payload goes to the object store (content-addressed, so a retry
   * stores it once) and the message carries its reference. Resolves on JetStream's ack.
   */
  async publishRawNotice(meta: Omit<RawNoticeMeta, 'size' | 'sha256' | 'objectRef'>, body: Uint8Array): Promise<PubAck> {
    // Validated here, where the caller can still be told: a notice whose metadata the consumers
    // would refuse must never reach the stream.
    const full: RawNoticeMeta = RawNoticeMeta.parse({ ...meta, size: body.length, sha256: sha256Hex(body) });
    let payload = body;
    // Headers and protocol overhead count against max_payload too.
    if (body.length > this.maxPayload - 8 * 1024) {
      const os = await this.objectStore();
      const name = `${full.sha256}`;
      const existing = await os.info(name);
      if (!existing || existing.size !== body.length) {
        await os.putBlob({ name, description: full.noticeId.slice(0, 256) }, body);
      }
      full.objectRef = `${this.ns.objectStore(OBJECT_STORES.largeNotices)}/${name}`;
      payload = new Uint8Array(0);
    }
    const h = natsHeaders();
    for (const [k, v] of rawNoticeToHeaders(full)) h.set(k, v);
    return this.publishBytes(SUBJECTS.noticeReceived, payload, rawNoticeMsgId(full), h);
  }

  /** Reads a raw notice from a received message, fetching the bytes from the object store when needed. */
  async readRawNotice(h: MsgHdrs | undefined, data: Uint8Array): Promise<RawNotice> {
    let meta: RawNoticeMeta;
    try {
      meta = rawNoticeFromHeaders((name) => h?.get(name) || undefined);
    } catch (err) {
      throw new PermanentError('raw notice headers invalid', { cause: err });
    }
    if (!meta.objectRef) {
      if (data.length !== meta.size) throw new PermanentError(`raw notice body is ${data.length} bytes, headers say ${meta.size}`);
      return { meta, body: data };
    }
    const name = meta.objectRef.slice(meta.objectRef.indexOf('/') + 1);
    let body: Uint8Array | null;
    try {
      body = await (await this.objectStore()).getBlob(name);
    } catch (err) {
      throw new TransientError(`object store read of ${meta.objectRef} failed`, { cause: err });
    }
    if (!body) throw new PermanentError(`object ${meta.objectRef} is gone (expired before it was read)`);
    if (sha256Hex(body) !== meta.sha256) throw new TransientError(`object ${meta.objectRef} does not match its sha256 (incomplete read)`);
    return { meta, body };
  }

  private async publishBytes(subject: string, data: Uint8Array, msgId: string, h: MsgHdrs): Promise<PubAck> {
    const wire = this.ns.subject(subject);
    const deadline = Date.now() + (this.options.publishTimeoutMs ?? 30_000);
    try {
      // Same msgId on every try: a retry after a lost ack is stored once.
      return await backOff(() => this.js.publish(wire, data, { msgID: msgId, headers: h, timeout: 5000 }), {
        numOfAttempts: 50,
        startingDelay: 100,
        maxDelay: 2000,
        jitter: 'full',
        retry: (err) => Date.now() < deadline && isRetryablePublish(err),
      });
    } catch (err) {
      throw new PublishError(subject, { cause: err });
    }
  }

  /** Declares (or updates) a durable pull consumer. Idempotent. */
  async ensureConsumer(spec: {
    stream: StreamKey;
    durable: string;
    filterSubject: string;
    maxDeliver: number;
    ackWaitMs: number;
    maxAckPending: number;
    /** Where a consumer created now starts (an existing one keeps its position). Default 'all'. */
    startAt?: ConsumerStart;
  }): Promise<void> {
    const jsm = await this.jsm();
    const stream = this.ns.stream(spec.stream);
    const config = {
      durable_name: spec.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: spec.startAt === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
      filter_subject: this.ns.subject(spec.filterSubject),
      max_deliver: spec.maxDeliver,
      ack_wait: nanos(spec.ackWaitMs),
      max_ack_pending: spec.maxAckPending,
    };
    try {
      const info = await jsm.consumers.info(stream, spec.durable);
      const c = info.config;
      if (c.filter_subject !== config.filter_subject || c.max_deliver !== config.max_deliver || c.ack_wait !== config.ack_wait || c.max_ack_pending !== config.max_ack_pending) {
        await jsm.consumers.update(stream, spec.durable, {
          filter_subject: config.filter_subject,
          max_deliver: config.max_deliver,
          ack_wait: config.ack_wait,
          max_ack_pending: config.max_ack_pending,
        });
      }
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await jsm.consumers.add(stream, config);
    }
  }

  /**
   * Moves a durable consumer back to the first message stored at or after `since`: JetStream
   * cannot change a consumer's start, so it is deleted and declared again with the same
   * settings and `by_start_time`. A running client's pull loop picks the new one up (it keeps
   * pulling while the consumer is missing). Returns how many stored messages it will deliver.
   */
  async replayConsumer(key: StreamKey, durable: string, since: Date): Promise<{ pending: number }> {
    const jsm = await this.jsm();
    const stream = this.ns.stream(key);
    const { config } = await jsm.consumers.info(stream, durable);
    await jsm.consumers.delete(stream, durable);
    const info = await jsm.consumers.add(stream, {
      ...config,
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: since.toISOString(),
      opt_start_seq: undefined,
    });
    return { pending: info.num_pending };
  }

  /** Waits for in-flight publishes, then closes the connection. */
  async close(): Promise<void> {
    if (this.nc.isClosed()) return;
    try {
      await this.nc.drain();
    } catch {
      await this.nc.close();
    }
  }
}

/** Stream or consumer not found (JetStream API 404). */
export function isNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && (err.code === 404 || /not found/i.test(err.message));
}

function isRetryablePublish(err: unknown): boolean {
  // API errors (wrong subject, stream sealed, message too large) will not pass by retrying;
  // timeouts, no responders and disconnects will once the server is back.
  if (err instanceof JetStreamApiError) return err.code === 503;
  return true;
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new TransientError(message)), ms);
    }),
  ]);
}

/**
 * Opening an existing KV bucket or object store keeps its stream's replicas; a deployment
 * that moves to a cluster (NATS_STREAM_REPLICAS 1 -> 3) needs them raised in place too.
 */
async function ensureReplicas(jsm: JetStreamManager, stream: string, replicas: number): Promise<void> {
  const info = await jsm.streams.info(stream);
  if (info.config.num_replicas !== replicas) await jsm.streams.update(stream, { ...info.config, num_replicas: replicas });
}
