// Hand-written on node:http: no library stands in for Slack or Teams with their status codes,
// error bodies, limits and throttling. This is the common part: a loopback listener, a request
// log, scripted faults per target, hanging requests, and waiting for a request to arrive.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A scripted answer to the next request for one target (a Slack channel, a Teams webhook):
 * `status` answers with that HTTP status (and `error`, `retryAfterS`); `hang` never answers,
 * after the message was stored (`after-store`: the post happened, only the answer is lost) or
 * without storing it (`before-store`: as if the request never reached the service).
 */
export type FakeFault =
  | { status: number; error?: string; retryAfterS?: number }
  | { error: string; status?: number; retryAfterS?: number }
  | { hang: 'before-store' | 'after-store' };

/** One request the fake received, with how it answered (`status` 0 while hanging). */
export interface FakeHttpCall {
  method: string;
  path: string;
  /** The channel, webhook or receiver name the request was for, when known. */
  target?: string;
  status: number;
  /** The error code answered (Slack's `invalid_blocks`, ...), if any. */
  error?: string;
  /** Epoch ms of arrival. */
  at: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What a fake's route returns: an answer, or a hang. */
export type FakeAnswer =
  | { status: number; body?: string | object; headers?: Record<string, string>; error?: string }
  | { hang: true };

/** A route of a fake: handles one request (the body already read). */
export type FakeRoute = (req: IncomingMessage, body: string, url: URL, log: FakeHttpCall) => FakeAnswer | Promise<FakeAnswer>;

/**
 * A token bucket per target: the fake service's own rate limit (answers 429 when exceeded).
 * Like the real services it is not exact to the millisecond: a request up to 5% of an interval
 * early (network jitter) still passes.
 */
export class FakeRateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly perSecond: number,
    private readonly burst: number = perSecond,
  ) {}

  /** Takes a token for `target`; returns the seconds to wait when there is none. */
  take(target: string, now = Date.now()): number | undefined {
    const b = this.buckets.get(target) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    this.buckets.set(target, b);
    if (b.tokens >= 0.95) {
      b.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perSecond));
  }
}

/** The loopback HTTP server under every fake: listen, log, faults, waiters, close. */
export class ScriptedHttpServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly log: FakeHttpCall[] = [];
  private readonly faults = new Map<string, FakeFault[]>();
  private readonly waiters: { match: (r: FakeHttpCall) => boolean; resolve: (r: FakeHttpCall) => void }[] = [];
  private port = 0;

  constructor(private readonly route: FakeRoute) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5000;
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  /** Listens on 127.0.0.1 on a free port. */
  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Every request so far (a copy). */
  requests(): FakeHttpCall[] {
    return [...this.log];
  }

  /** Queues faults for the next requests to `target`, consumed in order. */
  fail(target: string, faults: FakeFault[]): void {
    this.faults.set(target, [...(this.faults.get(target) ?? []), ...faults]);
  }

  /** The next scripted fault for `target`, if any (removed from the queue). */
  takeFault(target: string): FakeFault | undefined {
    return this.faults.get(target)?.shift();
  }

  /** Resolves with the first request (already received or future) that matches. */
  nextRequest(match: (r: FakeHttpCall) => boolean = () => true, timeoutMs = 20_000): Promise<FakeHttpCall> {
    const seen = this.log.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching request in ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
    });
  }

  /** Stops listening and cuts every open connection, hanging ones included. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const entry: FakeHttpCall = { method: req.method ?? 'GET', path: url.pathname, status: 0, at: Date.now(), headers: req.headers, body };
    this.log.push(entry);
    let answer: FakeAnswer;
    try {
      answer = await this.route(req, body, url, entry);
    } catch (err) {
      answer = { status: 500, body: `fake failed: ${(err as Error).message}` };
    }
    if ('hang' in answer) {
      this.notify(entry);
      return; // never answered: the client times out or the socket is cut at close()
    }
    entry.status = answer.status;
    entry.error = answer.error;
    const payload = typeof answer.body === 'object' ? JSON.stringify(answer.body) : (answer.body ?? '');
    const type = typeof answer.body === 'object' ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
    res.writeHead(answer.status, { 'content-type': type, ...answer.headers });
    res.end(payload);
    this.notify(entry);
  }

  private notify(entry: FakeHttpCall): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i].match(entry)) {
        this.waiters[i].resolve(entry);
        this.waiters.splice(i, 1);
      }
    }
  }
}
