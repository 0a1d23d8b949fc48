// Small plumbing shared by the fake HTTP APIs: a loopback server on a free port, request bodies,
// JSON answers. node:http is enough here; the fakes model the APIs' behaviour, not HTTP itself.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a fake answered: what a test may assert on (never the body, which may hold secrets). */
export interface FakeRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly status: number;
  /** When the answer was sent (epoch ms). */
  readonly at: number;
}

/** A started fake HTTP server. */
export interface FakeHttpServer {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  readonly baseUrl: string;
  readonly port: number;
  /** Every request answered so far, oldest first. */
  readonly requests: FakeRequest[];
  stop(): Promise<void>;
}

/** Handles one request; returns the status and body (JSON unless a string), or throws. */
export type FakeHandler = (req: IncomingMessage, body: Buffer, url: URL) => Promise<FakeReply> | FakeReply;

/** A fake's answer. */
export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Starts `handler` on a free loopback port. */
export async function startFakeHttpServer(handler: FakeHandler): Promise<FakeHttpServer> {
  const requests: FakeRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      Promise.resolve()
        .then(() => handler(req, Buffer.concat(chunks), url))
        .catch((err: unknown) => ({ status: 500, body: { error: { code: 500, message: String(err), status: 'INTERNAL' } } }))
        .then((reply) => {
          requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', status: reply.status, at: Date.now() });
          send(res, reply);
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, reply: FakeReply): void {
  const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  const type = typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=UTF-8';
  res.writeHead(reply.status, { 'content-type': type, 'content-length': Buffer.byteLength(text), ...reply.headers });
  res.end(text);
}

/** Form fields of an application/x-www-form-urlencoded body. */
export function formFields(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'));
}

/** The JSON body of a request, or undefined when it is empty or not JSON. */
export function jsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
