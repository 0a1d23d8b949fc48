// Requests go through undici rather than Slack's or Microsoft's SDKs: the SDKs retry and queue on
// their own, which would hide what the delivery record must know after each request: delivered,
// refused, or unknown (the request may have reached the service). undici's request() rather than
// fetch() (the same library under Node's fetch): fetch's WHATWG streams, Headers and transferable
// AbortSignal per request were about a sixth of the notifier's CPU in bench:e2e (cpu-prof,
// 2026-12-07), and a delivery makes one request.
import { EventEmitter } from 'node:events';
import { request as undiciRequest } from 'undici';

/** How one request ended. */
export type SendOutcome =
  /** Accepted; `remoteId` is what the service calls the message (Slack's ts). */
  | { kind: 'sent'; remoteId?: string }
  /** Refused for good (bad payload, channel gone, bad token): retrying cannot help. */
  | { kind: 'rejected'; reason: string }
  /** Not delivered, may pass later (5xx, 429, connection refused); `retryAfterMs` when the service said so. */
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  /** The request may have been delivered (timeout, connection cut after sending). */
  | { kind: 'unknown'; reason: string };

/** The response headers a channel reads (names case-insensitive). */
export interface ResponseHeaders {
  get(name: string): string | null;
}

/** A response read in full. */
export interface HttpResponse {
  status: number;
  headers: ResponseHeaders;
  text: string;
}

/** The request failed before it could have reached the service: nothing was delivered. */
export class NotSentError extends Error {
  override name = 'NotSentError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The request may have reached the service, but no answer came. */
export class NoAnswerError extends Error {
  override name = 'NoAnswerError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

// Errors raised before a byte of the request left: the service cannot have seen it.
const BEFORE_SENDING = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);

/**
 * One HTTP request with a time limit covering the answer's body too. Resolves with any status
 * (a redirect too: it is not followed, and a webhook that answers one is refused, not retried);
 * throws NotSentError when the service cannot have received it, NoAnswerError when it may have.
 * TLS certificates are verified (undici's default). Error messages never contain the URL (it is
 * a secret for webhooks).
 */
export async function request(url: string, init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; timeoutMs: number }): Promise<HttpResponse> {
  // undici takes an EventEmitter as the abort signal: no AbortSignal (and its timer) per request.
  const signal = new EventEmitter();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    signal.emit('abort');
  }, init.timeoutMs);
  try {
    const res = await undiciRequest(url, { method: init.method, headers: init.headers, body: init.body, signal });
    const text = await res.body.text();
    const headers = res.headers;
    return {
      status: res.statusCode,
      headers: {
        get: (name) => {
          const v = headers[name.toLowerCase()];
          return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
        },
      },
      text,
    };
  } catch (err) {
    const e = err as Error & { code?: string; cause?: { code?: string } };
    if (timedOut) throw new NoAnswerError(`no answer within ${init.timeoutMs} ms`);
    const code = e.code ?? e.cause?.code;
    if (code && BEFORE_SENDING.has(code)) throw new NotSentError(`could not connect (${code})`);
    throw new NoAnswerError(`connection failed (${code ?? e.name})`);
  } finally {
    clearTimeout(timer);
  }
}

/** A Retry-After header (seconds or an HTTP date) in ms, when present. */
export function retryAfterMs(headers: ResponseHeaders): number | undefined {
  const v = headers.get('retry-after');
  if (!v) return undefined;
  const s = Number(v);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/** The outcome of a request that threw: NotSentError → retry, anything else → unknown. */
export function outcomeOfError(err: unknown): SendOutcome {
  if (err instanceof NotSentError) return { kind: 'retry', reason: err.message };
  return { kind: 'unknown', reason: (err as Error).message ?? String(err) };
}

/** The usual reading of a status for webhooks: 2xx sent, 408/425/429/5xx retry, other 4xx rejected. */
export function outcomeOfStatus(res: HttpResponse, what: string): SendOutcome {
  const body = res.text.trim().slice(0, 200);
  if (res.status >= 200 && res.status < 300) return { kind: 'sent' };
  const reason = `${what} answered ${res.status}${body ? ` ${body}` : ''}`;
  if (res.status === 429 || res.status === 408 || res.status === 425 || res.status >= 500) {
    return { kind: 'retry', reason, retryAfterMs: retryAfterMs(res.headers) };
  }
  return { kind: 'rejected', reason };
}
