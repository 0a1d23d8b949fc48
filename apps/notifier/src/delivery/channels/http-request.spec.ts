import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSelfSignedCertificate, freePort } from '@maintwatch/testing';
import { NoAnswerError, NotSentError, outcomeOfError, outcomeOfStatus, request, retryAfterMs } from './http-request';

// The one request a delivery makes, against real local servers: what the delivery record
// learns from it (sent, refused, retry, unknown) depends on telling these cases apart.
describe('request', () => {
  const servers: Server[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => (s.close(r), s.closeAllConnections()))));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, server: Server = createServer(handler)): Promise<string> {
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const scheme = 'setSecureContext' in server ? 'https' : 'http';
    return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('posts the body with its headers and reads status, headers (any case) and body', async () => {
    let seen: { method?: string; type?: string; body: string } = { body: '' };
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen = { method: req.method, type: req.headers['content-type'], body };
        res.writeHead(429, { 'Retry-After': '7', 'X-Two': ['a', 'b'] });
        res.end('slow down');
      });
    });
    const res = await request(`${url}/hook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}', timeoutMs: 5000 });
    expect(seen).toEqual({ method: 'POST', type: 'application/json', body: '{"text":"hi"}' });
    expect(res.status).toBe(429);
    expect(res.text).toBe('slow down');
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('RETRY-AFTER')).toBe('7');
    expect(res.headers.get('x-two')).toBe('a, b');
    expect(res.headers.get('x-missing')).toBeNull();
    expect(retryAfterMs(res.headers)).toBe(7000);
    expect(outcomeOfStatus(res, 'the webhook')).toEqual({ kind: 'retry', reason: 'the webhook answered 429 slow down', retryAfterMs: 7000 });
  });

  it('a redirect is not followed: the status comes back and the webhook counts as refused', async () => {
    let followed = false;
    const url = await serve((req, res) => {
      if (req.url === '/elsewhere') followed = true;
      res.writeHead(301, { location: '/elsewhere' });
      res.end();
    });
    const res = await request(`${url}/hook`, { method: 'POST', body: '{}', timeoutMs: 5000 });
    expect(res.status).toBe(301);
    expect(followed).toBe(false);
    expect(outcomeOfStatus(res, 'the webhook').kind).toBe('rejected');
  });

  it('nothing listening: NotSentError (retried, nothing can have been delivered)', async () => {
    const port = await freePort();
    const err = await request(`http://127.0.0.1:${port}/hook`, { method: 'POST', body: '{}', timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotSentError);
    expect((err as Error).message).toBe('could not connect (ECONNREFUSED)');
    expect(outcomeOfError(err).kind).toBe('retry');
  });

  it('no answer in time, or a body that stops half-way: NoAnswerError (in doubt), and the message holds no URL', async () => {
    const hang = await serve(() => undefined);
    const start = Date.now();
    const err = await request(`${hang}/secret-token`, { method: 'POST', body: '{}', timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoAnswerError);
    expect((err as Error).message).toBe('no answer within 300 ms');
    expect(Date.now() - start).toBeGreaterThanOrEqual(290);
    expect(outcomeOfError(err).kind).toBe('unknown');

    const halfway = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"ok":');
    });
    const err2 = await request(`${halfway}/secret-token`, { method: 'POST', body: '{}', timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(NoAnswerError);
    expect((err2 as Error).message).not.toContain('secret-token');
  });

  it('a certificate that is not trusted is refused before anything is sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'http-request-'));
    dirs.push(dir);
    const cert = await createSelfSignedCertificate(dir);
    let reached = false;
    const tls = createTlsServer({ cert: readFileSync(cert.certFile), key: readFileSync(cert.keyFile) }, (_req, res) => {
      reached = true;
      res.end('ok');
    });
    const url = await serve(() => undefined, tls);
    expect(url.startsWith('https://')).toBe(true);
    const err = await request(`${url}/hook`, { method: 'POST', body: '{}', timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotSentError);
    expect((err as Error).message).toMatch(/^could not connect \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)$/);
    expect(reached).toBe(false);
  });
});
