// Every route the OpenAPI document lists, walked as an anonymous, a read-only and a writing
// client (401, 403, never a 500); and an operator fixing a provider's senders, then
// reprocessing the notice the parser had ignored, with the real parser service running.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nowSeconds } from '../../e2e-support/maintenance-api.harness';
import { buildApp, startApp, type AppProcess } from '@maintwatch/testing';
import { call, startApiStack, until, type ApiStack } from './testing/api-e2e.harness';

jest.setTimeout(120_000);

interface Operation {
  method: string;
  path: string;
  parameters?: { name: string; in: string; schema?: { format?: string } }[];
}

describe('maintenance-api HTTP - the OpenAPI contract and reprocessing', () => {
  let s: ApiStack;
  let parser: AppProcess | undefined;

  beforeAll(async () => {
    s = await startApiStack();
  });
  afterAll(async () => {
    if (parser) await parser.stop();
    if (s) expect(await s.stop()).toBe(0);
  });

  it('openapi - every route: 401 without a token, 403 for a write with a read token, never a 500', async () => {
    const docs = await call<{ paths: Record<string, Record<string, Operation>> }>(s, 'GET', '/api/docs-json');
    expect(docs.status).toBe(200);
    const ops: Operation[] = Object.entries(docs.body.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })));
    expect(ops.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ops.map((o) => o.path.split('/')[3]))).toEqual(new Set(['maintenances', 'providers', 'circuits', 'redundancy-groups', 'notices', 'calendar.ics']));
    const problems: string[] = [];
    for (const op of ops) {
      const url = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
        const p = op.parameters?.find((x) => x.name === name && x.in === 'path');
        return p?.schema?.format === 'uuid' || ['id', 'noteId'].includes(name) ? '0b5f2b1e-6a3e-4c55-9d5e-3f1a2b3c4d5e' : 'walk-x';
      });
      const body = ['POST', 'PUT', 'PATCH'].includes(op.method) ? {} : undefined;
      const anonymous = await call(s, op.method, url, { body });
      if (anonymous.status !== 401) problems.push(`${op.method} ${op.path} without a token: ${anonymous.status}`);
      const read = await call(s, op.method, url, { token: s.readToken, body });
      if (op.method === 'GET') {
        if (read.status >= 500 || read.status === 401 || read.status === 403) problems.push(`${op.method} ${op.path} with a read token: ${read.status}`);
      } else if (read.status !== 403) problems.push(`${op.method} ${op.path} with a read token: ${read.status}, not 403`);
      const write = await call(s, op.method, url, { token: s.writeToken, body });
      if (write.status >= 500 || write.status === 401 || write.status === 403) problems.push(`${op.method} ${op.path} with a write token: ${write.status} ${write.text.slice(0, 200)}`);
      // Nonsense in every query parameter: refused as input, never a crash.
      const junk = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => `${p.name}=%00%ff'--`).join('&');
      if (junk) {
        const res = await call(s, op.method, `${url}?${junk}`, { token: s.writeToken, body });
        if (res.status >= 500) problems.push(`${op.method} ${op.path} with nonsense query: ${res.status}`);
      }
    }
    expect(problems).toEqual([]);
    // Errors are shaped by one filter: the same body everywhere.
    const missing = await call(s, 'GET', '/api/v1/maintenances/0b5f2b1e-6a3e-4c55-9d5e-3f1a2b3c4d5e', { token: s.readToken });
    expect(missing.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
    const badJson = await call(s, 'POST', '/api/v1/providers', { token: s.writeToken, headers: { 'content-type': 'application/json' } });
    expect(badJson.status).toBe(400);
    // Health, readiness and metrics stay open.
    for (const path of ['/healthz', '/readyz', '/metrics']) expect((await call(s, 'GET', path)).status).toBe(200);
  });

  it('reprocess - a notice ignored for its unknown sender is parsed once the provider lists that sender and it is sent again', async () => {
    buildApp('parser');
    parser = await startApp('parser', { NATS_URL: s.nats.url, NATS_NAMESPACE: s.ns, LOG_LEVEL: 'warn' }, 30_000);
    await until(async () => (await fetch(`${parser!.url}/readyz`)).status === 200, 20_000, 'parser ready');
    const fixture = readFileSync(join(__dirname, '../../../../libs/providers/fixtures/zayo/planned-two-nights.eml'), 'utf8');
    const mail = fixture.replace(/mr@zayo\.com/g, 'mr@zayo-relay.example').replace(/Message-ID: <[^>]+>/, `Message-ID: <relay-${s.ns}@zayo-relay.example>`);
    const bytes = new TextEncoder().encode(mail);
    const noticeId = `imap-relay:relay-${s.ns}@zayo-relay.example`;
    await s.bus.publishRawNotice(
      { noticeId, source: 'imap-relay', receivedAt: nowSeconds(), attempt: 1, correlationId: 'corr-relay', sender: 'mr@zayo-relay.example', subject: 'ZAYO TTN-0007310042' },
      bytes,
    );
    const path = `/api/v1/notices/${encodeURIComponent(noticeId)}`;
    const outcome = async () => (await call<{ outcome?: string; attempt?: number; ignored: { attempt: number }[] }>(s, 'GET', path, { token: s.readToken })).body;
    await until(async () => (await outcome()).outcome === 'ignored', 20_000, 'the notice ignored');
    expect((await call<{ items: unknown[] }>(s, 'GET', '/api/v1/maintenances?provider=zayo', { token: s.readToken })).body.items).toEqual([]);

    // The operator adds the relay's address to Zayo's senders (the parser follows the provider table) and reprocesses.
    expect((await call(s, 'PATCH', '/api/v1/providers/zayo', { token: s.writeToken, body: { senders: ['zayo.com', 'zayo-relay.example'] } })).status).toBe(200);
    let attempts = 1;
    await until(
      async () => {
        const now = await outcome();
        if (now.outcome === 'parsed') return true;
        // The parser may not have the new table yet when the first reprocessing reaches it: send
        // again once it has answered the attempt in flight (one attempt in flight at a time).
        if (now.ignored.some((r) => r.attempt === attempts)) {
          const res = await call<{ attempt: number; msgId: string }>(s, 'POST', `${path}/reprocess`, { token: s.writeToken });
          expect(res.status).toBe(202);
          attempts = res.body.attempt;
          expect(res.body.msgId).toBe(`${noticeId}#${attempts}`);
        }
        return false;
      },
      30_000,
      'the notice parsed after reprocessing',
    );
    const list = await call<{ items: { maintenanceId: string; circuits: { providerCircuitId: string }[] }[] }>(s, 'GET', '/api/v1/maintenances?provider=zayo&limit=10', { token: s.readToken });
    expect(list.body.items.map((m) => m.maintenanceId)).toContain('TTN-0007310042');
    const detail = await call<{ items: { attempt: number; outcome: string }[] }>(s, 'GET', `/api/v1/notices/parsed?noticeId=${encodeURIComponent(noticeId)}`, { token: s.readToken });
    expect(detail.body.items.length).toBeGreaterThan(0);
    expect(detail.body.items.every((r) => r.attempt === attempts && attempts >= 2)).toBe(true);
  });
});
