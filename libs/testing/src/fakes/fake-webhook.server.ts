// A local receiver for generic JSON webhooks: it checks the HMAC-SHA256 signature of the body
// against a shared secret, records the Idempotency-Key, and can be scripted like the others.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ScriptedHttpServer, type FakeAnswer, type FakeFault, type FakeHttpCall } from './scripted-http.server';

/** A webhook call the receiver accepted. */
export interface FakeWebhookPost {
  receiver: string;
  headers: FakeHttpCall['headers'];
  body: string;
  json: unknown;
  /** True when the signature header is `sha256=<hex HMAC-SHA256(secret, body)>`. */
  signatureValid: boolean;
  receivedAt: number;
}

/** A running webhook receiver. */
export interface FakeWebhook {
  readonly url: string;
  /** The shared HMAC secret. */
  readonly secret: string;
  /** The URL of receiver `name`. */
  receiverUrl(name: string): string;
  /** Calls accepted, in order. */
  posts(name?: string): FakeWebhookPost[];
  requests(): FakeHttpCall[];
  fail(name: string, ...faults: FakeFault[]): void;
  nextRequest(match?: (r: FakeHttpCall) => boolean, timeoutMs?: number): Promise<FakeHttpCall>;
  close(): Promise<void>;
}

/** Starts a webhook receiver; `signatureHeader` names the header carrying the signature. */
export async function startFakeWebhook(options: { secret?: string; signatureHeader?: string } = {}): Promise<FakeWebhook> {
  const secret = options.secret ?? randomBytes(16).toString('hex');
  const header = (options.signatureHeader ?? 'x-maintwatch-signature').toLowerCase();
  const posts: FakeWebhookPost[] = [];
  const server: ScriptedHttpServer = new ScriptedHttpServer((req, body, url, log): FakeAnswer => {
    const name = url.pathname.split('/').filter(Boolean)[1];
    if (req.method !== 'POST' || !url.pathname.startsWith('/hooks/') || !name) return { status: 404, body: 'not found' };
    log.target = name;
    const fault = server.takeFault(name);
    const record = () => posts.push({ receiver: name, headers: req.headers, body, json: parse(body), signatureValid: verify(secret, body, req.headers[header]), receivedAt: Date.now() });
    if (fault && 'hang' in fault) {
      if (fault.hang === 'after-store') record();
      return { hang: true };
    }
    if (fault) {
      const answer: FakeAnswer = { status: fault.status ?? 500, body: fault.error ?? 'scripted', error: fault.error };
      return fault.retryAfterS === undefined ? answer : { ...answer, headers: { 'retry-after': String(fault.retryAfterS) } };
    }
    if (!verify(secret, body, req.headers[header])) return { status: 401, body: 'bad signature', error: 'bad_signature' };
    record();
    return { status: 204 };
  });
  await server.listen();
  return {
    url: server.url,
    secret,
    receiverUrl: (name) => `${server.url}/hooks/${name}`,
    posts: (name) => posts.filter((p) => name === undefined || p.receiver === name),
    requests: () => server.requests(),
    fail: (name, ...faults) => server.fail(name, faults),
    nextRequest: (match, timeoutMs) => server.nextRequest(match, timeoutMs),
    close: () => server.close(),
  };
}

function verify(secret: string, body: string, got: string | string[] | undefined): boolean {
  if (typeof got !== 'string') return false;
  const want = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const have = Buffer.from(got);
  return want.length === have.length && timingSafeEqual(want, have);
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
