// maintenance-api's HTTP face as operators and integrators use it, against the built service
// between a real nats-server and PostgreSQL: inventory, maintenances, notes and acks, notices,
// the calendar feed, overlap alerts, and tokens (scopes, revocation, never in the logs).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { Client } from 'pg';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { CONSUMERS, HEADERS, KV_BUCKETS, SUBJECTS, type DrainStepEvent, type DrainStepType } from '@maintwatch/contracts';
import { collectEvents, consumerIdle, nowSeconds, parsedMessage, publishParsed } from '../../e2e-support/maintenance-api.harness';
import { call, startApiStack, until, type ApiStack } from './testing/api-e2e.harness';

jest.setTimeout(120_000);

const H = 3600;
type Json = Record<string, unknown> & { items?: Json[]; nextCursor?: string };

describe('maintenance-api HTTP - operate over the REST API', () => {
  let s: ApiStack;
  let events: Awaited<ReturnType<typeof collectEvents>>;
  const get = (path: string, token = s.readToken) => call<Json>(s, 'GET', path, { token });
  const send = (method: string, path: string, body?: unknown, token = s.writeToken) => call<Json>(s, method, path, { token, body });
  const maintenanceOf = async (id: string) => {
    let found: Json | undefined;
    await until(async () => !!(found = (await get(`/api/v1/maintenances?limit=500`)).body.items!.find((m) => m.maintenanceId === id)), 15_000, `maintenance ${id}`);
    return found!;
  };

  beforeAll(async () => {
    s = await startApiStack({ LOG_LEVEL: 'debug' });
    events = await collectEvents(s.bus);
  });
  afterAll(async () => {
    await events?.stop();
    if (s) expect(await s.stop()).toBe(0);
  });

  it('providers - an operator adds, edits and deletes one, and the parser sees the table change', async () => {
    const created = await send('POST', '/api/v1/providers', { type: 'acme-fiber', name: 'ACME Fiber', senders: ['NOC@acme-fiber.example'] });
    expect(created).toMatchObject({ status: 201, body: { type: 'acme-fiber', senders: ['noc@acme-fiber.example'], builtIn: false, enabled: true } });
    expect((await send('POST', '/api/v1/providers', { type: 'acme-fiber', name: 'Again' })).status).toBe(409);
    const edited = await send('PATCH', '/api/v1/providers/zayo', { senders: ['zayo.com', 'zayo-noc.example'] });
    expect(edited.body).toMatchObject({ type: 'zayo', senders: ['zayo.com', 'zayo-noc.example'], edited: { senders: ['zayo.com', 'zayo-noc.example'] } });
    const kv = await s.bus.kv(KV_BUCKETS.providers);
    expect(JSON.parse((await kv.get('zayo'))!.string())).toMatchObject({ senders: ['zayo.com', 'zayo-noc.example'] });
    expect(JSON.parse((await kv.get('acme-fiber'))!.string())).toMatchObject({ name: 'ACME Fiber' });
    expect((await send('PATCH', '/api/v1/providers/zayo', { senders: null })).body).toMatchObject({ senders: ['zayo.com'], edited: {} });
    const bad = await send('POST', '/api/v1/providers', { type: 'Bad Type', name: '', senders: ['not a domain'] });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['name', 'senders.0', 'type']);
    expect((await send('DELETE', '/api/v1/providers/zayo')).status).toBe(409);
    expect((await send('DELETE', '/api/v1/providers/acme-fiber')).status).toBe(204);
    expect((await get('/api/v1/providers/acme-fiber')).status).toBe(404);
    await until(async () => (await kv.get('acme-fiber'))?.operation !== 'PUT', 5000, 'the deleted provider out of the table');
  });

  it('bodies - a JSON body over HTTP_BODY_LIMIT_BYTES is refused with 413 and a clear message, unread', async () => {
    const huge = { type: 'huge-fiber', name: 'Huge', senders: Array.from({ length: 60_000 }, (_, i) => `noc${i}.huge-fiber.example`) };
    expect(JSON.stringify(huge).length).toBeGreaterThan(1024 * 1024);
    const res = await send('POST', '/api/v1/providers', huge);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large', message: expect.stringMatching(/body.*too large|exceeds/i) });
    expect((await get('/api/v1/providers/huge-fiber')).status).toBe(404);
  });

  it('circuits - created with aliases, bound to a device, found by any name, paged to the last page', async () => {
    const c = await send('POST', '/api/v1/circuits', { providerType: 'zayo', providerCircuitId: 'PAGE/1//ZYO', aliases: ['PAGE-1'], redundancyGroup: 'page-grp', type: 'transit' });
    expect(c).toMatchObject({ status: 201, body: { providerCircuitId: 'PAGE/1//ZYO', aliases: ['PAGE-1'], verified: true, redundancyGroup: 'page-grp' } });
    const id = c.body.id as string;
    expect((await send('POST', '/api/v1/circuits', { providerType: 'zayo', providerCircuitId: ' page-1 ' })).status).toBe(409);
    expect((await send('POST', '/api/v1/circuits', { providerType: 'nope', providerCircuitId: 'X' })).status).toBe(404);
    expect((await send('POST', `/api/v1/circuits/${id}/aliases`, { alias: 'PAGE 1 ALT' })).body.aliases).toEqual(['PAGE 1 ALT', 'PAGE-1']);
    expect((await send('DELETE', `/api/v1/circuits/${id}/aliases/${encodeURIComponent('page 1 alt')}`)).body.aliases).toEqual(['PAGE-1']);
    expect((await send('PUT', `/api/v1/circuits/${id}/device-binding`, { device: 'edge1.fra', interface: 'et-0/0/1', bgpGroup: 'transit' })).body.deviceBinding).toEqual({
      device: 'edge1.fra',
      interface: 'et-0/0/1',
      bgpGroup: 'transit',
    });
    expect((await get('/api/v1/circuits?device=edge1.fra')).body.items!.map((x) => x.id)).toEqual([id]);
    expect((await send('DELETE', `/api/v1/circuits/${id}/device-binding`)).body.deviceBinding).toBeUndefined();
    for (const n of [2, 3, 4, 5]) await send('POST', '/api/v1/circuits', { providerType: 'zayo', providerCircuitId: `PAGE/${n}//ZYO`, redundancyGroup: 'page-grp' });
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const page = await get(`/api/v1/circuits?redundancyGroup=page-grp&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      sizes.push(page.body.items!.length);
      seen.push(...page.body.items!.map((x) => x.providerCircuitId as string));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(['PAGE/1//ZYO', 'PAGE/2//ZYO', 'PAGE/3//ZYO', 'PAGE/4//ZYO', 'PAGE/5//ZYO']);
    expect((await get('/api/v1/circuits?redundancyGroup=page-grp&limit=5')).body.nextCursor).toBeUndefined();
    expect((await get('/api/v1/circuits?q=page-1')).body.items!.map((x) => x.id)).toEqual([id]);
    for (const bad of ['limit=0', 'limit=501', 'cursor=bm9wZQ', 'verified=maybe', 'unknown=1']) {
      const res = await get(`/api/v1/circuits?${bad}`);
      expect([bad, res.status]).toEqual([bad, 400]);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: expect.any(String), message: expect.any(String) })]));
    }
    expect((await get('/api/v1/redundancy-groups')).body).toEqual(expect.arrayContaining([{ name: 'page-grp', circuits: 5 }]));
    expect(((await get('/api/v1/redundancy-groups/page-grp')).body.circuits as unknown[]).length).toBe(5);
    expect((await send('DELETE', `/api/v1/circuits/${id}`)).status).toBe(204);
    expect((await get(`/api/v1/circuits/${id}`)).status).toBe(404);
    expect((await get('/api/v1/circuits/not-a-uuid')).status).toBe(400);
  });

  it('circuits - a CSV import reports every row: created, updated, or why it failed', async () => {
    const csv = [
      'provider,circuit_id,aliases,a_side,z_side,type,redundancy_group,device,interface,verified',
      'zayo,CSV/1//ZYO,CSV-1;CSV 1,FRA1,AMS1,backbone,csv-grp,edge1.fra,et-0/0/2,true',
      'zayo,CSV/2//ZYO,,FRA1,LON1,transport,csv-grp,,,',
      'zayo,,,,,,,,,',
      'zayo,CSV/3//ZYO,,,,submarine,,,,',
      'nope,CSV/4//ZYO,,,,,,,,',
      'zayo,CSV/5//ZYO,,,,,,,et-0/0/9,',
      'zayo,csv-1,,,,,csv-grp-2,,,',
    ].join('\r\n');
    const dry = await call<Json>(s, 'POST', '/api/v1/circuits/import?dryRun=true', { token: s.writeToken, csv });
    // A dry run checks each row against the store as it is: the last row's alias is not there yet.
    expect(dry.body).toMatchObject({ dryRun: true, created: 3, updated: 0, failed: 4 });
    expect((await get('/api/v1/circuits?q=csv/')).body.items).toEqual([]);
    const res = await call<Json>(s, 'POST', '/api/v1/circuits/import', { token: s.writeToken, csv });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: false, created: 2, updated: 1, failed: 4 });
    const rows = res.body.rows as { line: number; outcome: string; errors?: { field: string }[] }[];
    expect(rows.map((r) => [r.line, r.outcome, (r.errors ?? []).map((e) => e.field)])).toEqual([
      [2, 'created', []],
      [3, 'created', []],
      [4, 'failed', ['circuit_id']],
      [5, 'failed', ['type']],
      [6, 'failed', ['provider']],
      [7, 'failed', ['device']],
      [8, 'updated', []],
    ]);
    const one = (await get('/api/v1/circuits?q=CSV/1//ZYO')).body.items![0]!;
    expect(one).toMatchObject({ aliases: ['CSV 1', 'CSV-1'], aSide: 'FRA1', zSide: 'AMS1', type: 'backbone', redundancyGroup: 'csv-grp-2', deviceBinding: { device: 'edge1.fra', interface: 'et-0/0/2' } });
    const header = await call<Json>(s, 'POST', '/api/v1/circuits/import', { token: s.writeToken, csv: 'provider,circuit,colour\nzayo,X,red\n' });
    expect(header.status).toBe(400);
    expect((header.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['circuit', 'circuit_id', 'colour']);
    expect((await call<Json>(s, 'POST', '/api/v1/circuits/import', { token: s.writeToken, csv: 'provider,circuit_id\n"zayo,X\n' })).status).toBe(400);
    expect((await call<Json>(s, 'POST', '/api/v1/circuits/import', { token: s.writeToken, body: { provider: 'zayo' } })).status).toBe(400);
  });

  it('maintenances - filtered by status, provider, circuit, group and time, sorted and paged, with detail, acks and notes', async () => {
    await send('POST', '/api/v1/circuits', { providerType: 'zayo', providerCircuitId: 'LIST/1//ZYO', redundancyGroup: 'list-grp' });
    const t = nowSeconds();
    const specs = [
      { id: 'LIST-FUTURE', start: t + 5 * 24 * H, status: 'CONFIRMED' as const, circuit: 'LIST/1//ZYO' },
      { id: 'LIST-SOON', start: t + 600, status: 'CONFIRMED' as const, circuit: 'LIST-OTHER-1' },
      { id: 'LIST-NOW', start: t - H, status: 'IN-PROCESS' as const, circuit: 'LIST-OTHER-2' },
      { id: 'LIST-PAST', start: t - 10 * 24 * H, status: 'COMPLETED' as const, circuit: 'LIST-OTHER-3' },
      { id: 'LIST-CANCELLED', start: t + 6 * 24 * H, status: 'CANCELLED' as const, circuit: 'LIST-OTHER-4' },
    ];
    for (const m of specs) {
      await publishParsed(s.bus, parsedMessage(m.id, { start: m.start, end: m.start + 2 * H, status: m.status, circuits: [{ circuit_id: m.circuit, impact: 'OUTAGE' }], account: 'LIST-ACCT' }));
    }
    await until(async () => (await get('/api/v1/maintenances?limit=500')).body.items!.filter((m) => String(m.maintenanceId).startsWith('LIST-')).length === 5, 15_000, 'five maintenances');
    const ids = async (query: string) =>
      (await get(`/api/v1/maintenances?limit=500&${query}`)).body.items!.map((m) => m.maintenanceId as string).filter((x) => x.startsWith('LIST-'));
    expect(await ids('status=CANCELLED,COMPLETED')).toEqual(['LIST-PAST', 'LIST-CANCELLED']);
    expect(await ids('circuit=list/1//zyo')).toEqual(['LIST-FUTURE']);
    expect(await ids('redundancyGroup=list-grp')).toEqual(['LIST-FUTURE']);
    expect(await ids(`from=${t}&to=${t + 24 * H}`)).toEqual(['LIST-NOW', 'LIST-SOON']);
    expect(await ids(`from=${new Date((t - 11 * 24 * H) * 1000).toISOString()}&to=${new Date((t - 9 * 24 * H) * 1000).toISOString()}`)).toEqual(['LIST-PAST']);
    expect(await ids('when=upcoming')).toEqual(['LIST-SOON', 'LIST-FUTURE', 'LIST-CANCELLED']);
    expect(await ids('when=in-progress')).toEqual(['LIST-NOW']);
    expect(await ids('when=past')).toEqual(['LIST-PAST']);
    expect(await ids('when=upcoming&sort=start&order=desc')).toEqual(['LIST-CANCELLED', 'LIST-FUTURE', 'LIST-SOON']);
    expect((await get('/api/v1/maintenances/starting-soon?within=3600')).body.items!.map((m) => m.maintenanceId)).toEqual(['LIST-SOON']);
    expect((await get('/api/v1/maintenances/in-progress')).body.items!.map((m) => m.maintenanceId)).toEqual(['LIST-NOW']);
    // Paging by time: two at a time, in order, nothing twice, nothing missed.
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await get(`/api/v1/maintenances?provider=zayo&status=CONFIRMED,IN-PROCESS,COMPLETED,CANCELLED&limit=2&sort=end${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.body.items!.map((m) => m.maintenanceId as string).filter((x) => x.startsWith('LIST-')));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(['LIST-PAST', 'LIST-NOW', 'LIST-SOON', 'LIST-FUTURE', 'LIST-CANCELLED']);
    const other = await get(`/api/v1/maintenances?limit=1&sort=start`);
    expect((await get(`/api/v1/maintenances?limit=1&sort=end&cursor=${other.body.nextCursor}`)).status).toBe(400);
    expect((await get(`/api/v1/maintenances?from=${t}&to=${t - 1}`)).status).toBe(400);
    expect((await get('/api/v1/maintenances?status=DONE')).body.errors).toEqual([expect.objectContaining({ field: 'status.0' })]);

    // Detail, reschedule history, ack and unack, notes.
    const future = await maintenanceOf('LIST-FUTURE');
    // Rescheduled, naming a backup timeslot besides the new window (as BSO notices do).
    const backup = { start: t + 8 * 24 * H, end: t + 8 * 24 * H + 2 * H, label: 'backup' as const };
    await publishParsed(
      s.bus,
      parsedMessage('LIST-FUTURE', { start: t + 6 * 24 * H, end: t + 6 * 24 * H + 2 * H, sequence: 2, circuits: [{ circuit_id: 'LIST/1//ZYO', impact: 'OUTAGE' }], account: 'LIST-ACCT' }, { alternateWindows: [backup] }),
    );
    await until(async () => ((await get(`/api/v1/maintenances/${future.id}`)).body.windows as unknown[]).length === 3, 15_000, 'rescheduled');
    const detail = (await get(`/api/v1/maintenances/${future.id}`)).body;
    expect(detail).toMatchObject({ maintenanceId: 'LIST-FUTURE', start: t + 6 * 24 * H, version: 2, circuits: [{ circuitRef: 'LIST/1//ZYO', impact: 'OUTAGE', circuit: { redundancyGroup: 'list-grp' } }] });
    expect((detail.windows as { start: number; label: string }[]).map((w) => [w.start, w.label])).toEqual([
      [t + 5 * 24 * H, 'primary'],
      [t + 6 * 24 * H, 'primary'],
      [t + 8 * 24 * H, 'backup'],
    ]);
    // The backup timeslot is history, not the window: the maintenance keeps its primary one.
    expect(detail).toMatchObject({ start: t + 6 * 24 * H, end: t + 6 * 24 * H + 2 * H });
    expect((detail.notices as { outcome: string }[]).map((n) => n.outcome)).toEqual(['applied', 'applied']);
    expect((await send('POST', `/api/v1/maintenances/${future.id}/ack`, {})).body.acknowledged).toMatchObject({ by: 'spec-writer' });
    expect(await ids('unacknowledged=true')).not.toContain('LIST-FUTURE');
    expect((await send('POST', `/api/v1/maintenances/${future.id}/ack`, {}, s.readToken)).status).toBe(403);
    expect((await send('DELETE', `/api/v1/maintenances/${future.id}/ack`)).body.acknowledged).toBeUndefined();
    expect(await ids('unacknowledged=true')).toContain('LIST-FUTURE');
    const note = await send('POST', `/api/v1/maintenances/${future.id}/notes`, { text: 'Drain edge1 first', level: 'warning' });
    expect(note).toMatchObject({ status: 201, body: { author: 'spec-writer', level: 'warning', text: 'Drain edge1 first' } });
    const noteId = note.body.id as string;
    expect((await send('PATCH', `/api/v1/maintenances/${future.id}/notes/${noteId}`, { text: 'Drained' })).body).toMatchObject({ text: 'Drained', level: 'warning' });
    expect((await send('PATCH', `/api/v1/maintenances/${future.id}/notes/${noteId}`, {})).status).toBe(400);
    expect((await get(`/api/v1/maintenances/${future.id}/notes`)).body.items!.map((n) => n.text)).toContain('Drained');
    expect((await send('DELETE', `/api/v1/maintenances/${future.id}/notes/${noteId}`)).status).toBe(204);
    expect((await send('DELETE', `/api/v1/maintenances/${future.id}/notes/${noteId}`)).status).toBe(404);
    expect((await get('/api/v1/maintenances/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await send('POST', '/api/v1/maintenances/00000000-0000-4000-8000-000000000000/notes', { text: 'x' })).status).toBe(404);
  });

  it("drains - the gateway's drain steps show on the maintenance: the latest step wins in any order, once, and the live feed tells the page", async () => {
    const p = parsedMessage('DRN-1', { circuits: [{ circuit_id: 'DRN-CKT-1', impact: 'OUTAGE' }] });
    await publishParsed(s.bus, p);
    const m = await maintenanceOf('DRN-1');
    expect((await get(`/api/v1/maintenances/${m.id as string}`)).body.drains).toEqual([]);
    const window = { start: p.maintenance.start, end: p.maintenance.end };
    const at = nowSeconds();
    const step = (name: DrainStepType, state: string, atS: number, extra: Partial<DrainStepEvent> = {}): DrainStepEvent => ({
      stepId: `drn-1:${name}:${atS}`,
      step: name,
      at: atS,
      providerType: 'zayo',
      maintenanceId: 'DRN-1',
      circuitId: 'DRN-CKT-1',
      device: 'edge1',
      method: 'graceful-shutdown',
      dryRun: false,
      state,
      detail: `${name} detail`,
      window,
      ...extra,
    });
    const publish = (e: DrainStepEvent) => s.bus.publish(SUBJECTS.drainStep(e.step), e, { msgId: e.stepId });

    // The live feed, followed as the page does (token in the header).
    const ctrl = new AbortController();
    const live = (async () => {
      const res = await fetch(`${s.api.url}/api/v1/live/events`, { headers: { authorization: `Bearer ${s.readToken}`, accept: 'text/event-stream' }, signal: ctrl.signal });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let seen = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return seen;
        seen += value;
        if (/"type":"drain"[^\n]*"status":"drained"/.test(seen)) return seen;
      }
    })();
    const timer = setTimeout(() => ctrl.abort(), 30_000);
    try {
      await publish(step('planned', 'scheduled', at));
      const diff = '[edit protocols bgp group transit neighbor 192.0.2.1]\n+    community 65535:0;';
      await publish(step('committed-confirmed', 'confirming', at + 60, { diff }));
      await publish(step('drained', 'drained', at + 60, { diff }));
      const drainsOf = async () => (await get(`/api/v1/maintenances/${m.id as string}`)).body.drains as Json[];
      await until(async () => (await drainsOf())[0]?.step === 'drained', 15_000, 'the drained step kept');
      // Same second: 'drained' comes after 'committed-confirmed' in the flow, so it stays.
      expect(await drainsOf()).toEqual([
        { circuitId: 'DRN-CKT-1', device: 'edge1', method: 'graceful-shutdown', dryRun: false, step: 'drained', state: 'drained', detail: 'drained detail', diff, at: at + 60, window },
      ]);
      expect(await live).toMatch(/"maintenanceId":"DRN-1"/);
      // An older step arriving late (a redelivery) does not take the state back.
      await publish(step('planned', 'scheduled', at - 5, { stepId: 'drn-1:late-planned' }));
      await publish(step('restored', 'restored', at + 3600));
      await until(async () => (await drainsOf())[0]?.step === 'restored', 15_000, 'the restored step kept');
      await publish(step('committed-confirmed', 'confirming', at + 60, { stepId: 'drn-1:late-commit' }));
      await until(() => consumerIdle(s.bus, 'DEVICE', CONSUMERS.apiDrains), 15_000, 'the drain consumer idle');
      expect(await drainsOf()).toEqual([expect.objectContaining({ step: 'restored', state: 'restored', at: at + 3600 })]);
      expect((await drainsOf())[0].diff).toBeUndefined();
      // Another maintenance's drain is not this one's; a step that arrives before its
      // maintenance is stored shows once the maintenance is.
      await publish(step('dry-run', 'dry-run', at, { maintenanceId: 'DRN-OTHER', stepId: 'drn-other:dry-run', dryRun: true }));
      await until(() => consumerIdle(s.bus, 'DEVICE', CONSUMERS.apiDrains), 15_000, 'the drain consumer idle');
      expect(await drainsOf()).toHaveLength(1);
      await publishParsed(s.bus, parsedMessage('DRN-OTHER'));
      const other = await maintenanceOf('DRN-OTHER');
      expect((await get(`/api/v1/maintenances/${other.id as string}`)).body.drains).toEqual([expect.objectContaining({ step: 'dry-run', state: 'dry-run', dryRun: true, circuitId: 'DRN-CKT-1' })]);
    } finally {
      clearTimeout(timer);
      ctrl.abort();
      await live.catch(() => undefined);
    }
  });

  it('notices - stored mail is listed, downloaded as sent, its records shown with reasons, and reprocessed as attempt + 1', async () => {
    const body = new TextEncoder().encode('From: noc@zayo.com\r\nSubject: Zayo notice\r\nMessage-ID: <n1@zayo.com>\r\n\r\nhello\r\n');
    const noticeId = `imap-spec:n1-${s.ns}@zayo.com`;
    await s.bus.publishRawNotice({ noticeId, source: 'imap-spec', receivedAt: nowSeconds(), attempt: 1, correlationId: 'corr-n1', sender: 'noc@zayo.com', subject: 'Zayo notice' }, body);
    await s.bus.publish(SUBJECTS.noticeUnparsed, { noticeId, attempt: 1, providerType: 'zayo', sender: 'noc@zayo.com', subject: 'Zayo notice', reasons: ['no maintenance found in the HTML'] }, { msgId: `${noticeId}#1/unparsed` });
    const path = `/api/v1/notices/${encodeURIComponent(noticeId)}`;
    await until(async () => (await get(path)).body.outcome === 'unparsed', 15_000, 'notice recorded as unparsed');
    expect((await get('/api/v1/notices?outcome=unparsed')).body.items!.map((n) => n.noticeId)).toContain(noticeId);
    const raw = await call(s, 'GET', `${path}/raw`, { token: s.readToken });
    expect(raw.headers.get('content-type')).toBe('message/rfc822');
    expect(raw.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.eml"$/);
    expect(raw.text).toBe(new TextDecoder().decode(body));
    expect((await get(`/api/v1/notices/unparsed?noticeId=${encodeURIComponent(noticeId)}`)).body.items).toEqual([
      expect.objectContaining({ noticeId, attempt: 1, providerType: 'zayo', reasons: ['no maintenance found in the HTML'] }),
    ]);
    // What goes out again: the same bytes on notice.received.v1, attempt 2, message id "<id>#2".
    const stream = s.bus.ns.stream('NOTICES');
    const jsm = await s.bus.jsm();
    await jsm.consumers.add(stream, { name: 'spec-reprocess', ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.New, filter_subject: s.bus.ns.subject(SUBJECTS.noticeReceived) });
    const consumer = await s.bus.js.consumers.get(stream, 'spec-reprocess');
    const res = await send('POST', `${path}/reprocess`);
    expect(res).toMatchObject({ status: 202, body: { noticeId, attempt: 2, msgId: `${noticeId}#2` } });
    const msg = await consumer.next({ expires: 5000 });
    expect(msg?.headers?.get(HEADERS.msgId)).toBe(`${noticeId}#2`);
    expect(msg?.headers?.get(HEADERS.attempt)).toBe('2');
    expect(new TextDecoder().decode(msg!.data)).toBe(new TextDecoder().decode(body));
    // While attempt 2 has no outcome yet, "all unparsed" does not send it a third time.
    expect((await send('POST', '/api/v1/notices/unparsed/reprocess')).body).toMatchObject({ count: 0 });
    await s.bus.publish(SUBJECTS.noticeUnparsed, { noticeId, attempt: 2, reasons: ['still nothing'] }, { msgId: `${noticeId}#2/unparsed` });
    await until(async () => ((await get(path)).body.unparsed as unknown[]).length === 2, 15_000, 'attempt 2 unparsed');
    expect((await send('POST', '/api/v1/notices/unparsed/reprocess')).body).toMatchObject({ count: 1, items: [{ noticeId, attempt: 3, msgId: `${noticeId}#3` }] });
    expect((await send('POST', `/api/v1/notices/${encodeURIComponent('imap-spec:missing@x')}/reprocess`)).status).toBe(404);
    await jsm.consumers.delete(stream, 'spec-reprocess');
  });

  it('calendar - one VEVENT per maintenance with stable UID, SEQUENCE bumped on change, CANCELLED status, folded and escaped lines', async () => {
    const t = nowSeconds();
    const summary = 'Плановые работы; замена оптики, этап 2 — 夜間メンテナンス \\ Frankfurt–Amsterdam, '.repeat(3).trim();
    await publishParsed(s.bus, parsedMessage('ICS-1', { start: t + 3 * 24 * H, end: t + 3 * 24 * H + H, summary, circuits: [{ circuit_id: 'ICS/1//ZYO', impact: 'DEGRADED' }] }));
    const m = await maintenanceOf('ICS-1');
    const feed = async (query = '') => {
      const res = await call(s, 'GET', `/api/v1/calendar.ics?token=${s.readToken}${query}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
      return res.text;
    };
    const eventOf = (text: string) =>
      new ICAL.Component(ICAL.parse(text) as unknown[]).getAllSubcomponents('vevent').find((e) => e.getFirstPropertyValue('uid') === `${m.id}@maintwatch`);
    const first = await feed();
    expect(first.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(first.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(first.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of first.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(first).toMatch(/^PRODID:-\/\/Maintwatch\/\/maintenance-api\/\/EN$/m);
    // The summary needed folding (over 75 octets) and escaping (";" "," "\"), and reads back intact.
    expect(first).toContain('\\;');
    const ev = eventOf(first)!;
    expect(ev.getFirstPropertyValue('summary')).toBe(`Zayo ICS-1: ${summary}`);
    expect(ev.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(ev.getFirstPropertyValue('sequence')).toBe(0);
    expect(String(ev.getFirstPropertyValue('description'))).toContain('ICS/1//ZYO: DEGRADED');
    expect((ev.getFirstPropertyValue('dtstart') as ICAL.Time).toUnixTime()).toBe(t + 3 * 24 * H);
    expect(ev.getFirstPropertyValue('dtstamp')).toBeTruthy();

    await publishParsed(s.bus, parsedMessage('ICS-1', { start: t + 3 * 24 * H, end: t + 3 * 24 * H + H, summary, sequence: 2, status: 'CANCELLED', circuits: [] }));
    await until(async () => eventOf(await feed())?.getFirstPropertyValue('status') === 'CANCELLED', 15_000, 'cancelled in the feed');
    const cancelled = eventOf(await feed())!;
    expect(cancelled.getFirstPropertyValue('sequence')).toBe(1);
    expect(eventOf(await feed('&provider=zayo'))).toBeDefined();
    expect(eventOf(await feed('&provider=ntt'))).toBeUndefined();
    expect(eventOf(await feed('&circuit=ics/1//zyo'))).toBeDefined();
    const bearer = await call(s, 'GET', '/api/v1/calendar.ics', { token: s.readToken });
    expect(bearer.status).toBe(200);
    expect((await call(s, 'GET', '/api/v1/calendar.ics')).status).toBe(401);
    expect((await call(s, 'GET', '/api/v1/calendar.ics?token=mwt_wrong-token-wrong-token-wrong-token-wrong-token-xx')).status).toBe(401);
    // ?token= is for the calendar only.
    expect((await call(s, 'GET', `/api/v1/maintenances?token=${s.readToken}`)).status).toBe(401);
  });

  it('overlaps - two maintenances on one redundancy group raise one event, clear when moved apart, raise again when back', async () => {
    for (const [name, group, aSide, zSide] of [
      ['OVL/A//ZYO', 'ovl-grp', null, null],
      ['OVL/B//ZYO', 'ovl-grp', null, null],
      ['SIDE/1//ZYO', null, 'FRA-DC1', 'AMS-DC1'],
      ['SIDE/2//ZYO', null, 'LON-DC1', 'FRA-DC1'],
    ] as const) {
      expect((await send('POST', '/api/v1/circuits', { providerType: 'zayo', providerCircuitId: name, redundancyGroup: group, aSide, zSide })).status).toBe(201);
    }
    const S = nowSeconds() + 10 * 24 * H;
    const overlapEvents = () => events.events.filter((e) => e.type === 'overlap');
    const circuits = (name: string, impact: 'OUTAGE' | 'NO-IMPACT' = 'OUTAGE') => [{ circuit_id: name, impact }];
    await publishParsed(s.bus, parsedMessage('OVL-1', { start: S, end: S + 4 * H, circuits: circuits('OVL/A//ZYO') }));
    const m1 = await maintenanceOf('OVL-1');
    await publishParsed(s.bus, parsedMessage('OVL-2', { start: S + 2 * H, end: S + 6 * H, circuits: circuits('OVL/B//ZYO') }));
    const m2 = await maintenanceOf('OVL-2');
    await until(() => overlapEvents().length === 1, 15_000, 'one overlap event');
    const [first] = overlapEvents();
    const names = [first!.event.maintenance.maintenanceId, first!.event.overlaps![0]!.maintenanceId].sort();
    expect(names).toEqual(['OVL-1', 'OVL-2']);
    expect(first!.event.overlaps![0]).toMatchObject({ sharedCircuits: ['OVL/A//ZYO', 'OVL/B//ZYO'], redundancyGroups: ['ovl-grp'] });
    expect(first!.msgId).toBe(first!.event.eventId);
    for (const [me, other] of [
      [m1, 'OVL-2'],
      [m2, 'OVL-1'],
    ] as const) {
      const d = (await get(`/api/v1/maintenances/${me.id}`)).body;
      expect(d).toMatchObject({ overlapping: true, overlaps: [{ with: { maintenanceId: other }, redundancyGroups: ['ovl-grp'] }] });
    }
    expect((await get('/api/v1/maintenances?overlapping=true&limit=500')).body.items!.map((m) => m.maintenanceId).sort()).toEqual(['OVL-1', 'OVL-2']);

    // A NO-IMPACT maintenance in the same window is no overlap.
    await publishParsed(s.bus, parsedMessage('OVL-3', { start: S + H, end: S + 3 * H, circuits: circuits('OVL/B//ZYO', 'NO-IMPACT') }));
    const m3 = await maintenanceOf('OVL-3');
    expect((await get(`/api/v1/maintenances/${m3.id}`)).body.overlapping).toBe(false);

    // Moved apart: the flag clears, nothing is announced; moved back: announced again.
    await publishParsed(s.bus, parsedMessage('OVL-2', { start: S + 10 * H, end: S + 12 * H, sequence: 2, circuits: circuits('OVL/B//ZYO') }));
    await until(async () => (await get(`/api/v1/maintenances/${m1.id}`)).body.overlapping === false, 15_000, 'overlap cleared');
    expect((await get(`/api/v1/maintenances/${m2.id}`)).body).toMatchObject({ overlapping: false, overlaps: [] });
    await publishParsed(s.bus, parsedMessage('OVL-2', { start: S + H, end: S + 2 * H, sequence: 3, circuits: circuits('OVL/B//ZYO') }));
    await until(() => overlapEvents().length === 2, 15_000, 'a second overlap event');
    expect(overlapEvents()[1]!.event.overlaps![0]!.window).toEqual({ start: first!.event.maintenance.maintenanceId === 'OVL-1' ? S + H : S, end: first!.event.maintenance.maintenanceId === 'OVL-1' ? S + 2 * H : S + 4 * H });

    // Circuits without a group that share a side overlap too.
    await publishParsed(s.bus, parsedMessage('SIDE-1', { start: S + 20 * H, end: S + 22 * H, circuits: circuits('SIDE/1//ZYO') }));
    await publishParsed(s.bus, parsedMessage('SIDE-2', { start: S + 21 * H, end: S + 23 * H, circuits: circuits('SIDE/2//ZYO') }));
    await until(() => overlapEvents().length === 3, 15_000, 'an overlap on a shared side');
    expect(overlapEvents()[2]!.event.overlaps![0]).toMatchObject({ sharedCircuits: ['SIDE/1//ZYO', 'SIDE/2//ZYO'], redundancyGroups: [] });
    // The same notice again (a redelivery) announces nothing more.
    await publishParsed(s.bus, parsedMessage('SIDE-2', { start: S + 21 * H, end: S + 23 * H, sequence: 2, summary: 'changed text', circuits: circuits('SIDE/2//ZYO') }));
    await until(async () => (await get('/api/v1/maintenances?limit=500')).body.items!.some((m) => m.maintenanceId === 'SIDE-2' && m.version === 2), 15_000, 'SIDE-2 updated');
    await until(async () => events.of('SIDE-2').some((e) => e.type === 'updated'), 15_000, 'updated event');
    expect(overlapEvents()).toHaveLength(3);
  });

  it('tokens - made and revoked by the token command; a revoked one is refused at once (the cached lookup is dropped)', () => {
    const cli = join(__dirname, '../../../../dist/apps/maintenance-api/apps/maintenance-api/src/cli/token.js');
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? '', DATABASE_URL: s.db.url }, encoding: 'utf8', timeout: 20_000 });
    const made = run('create', '--scope', 'read', '--name', 'cli-reader');
    expect(made.status).toBe(0);
    const token = made.stdout.trim();
    expect(token).toMatch(/^mwt_[A-Za-z0-9_-]{43}$/);
    expect(made.stderr).not.toContain(token);
    expect(run('create', '--scope', 'read', '--name', 'cli-reader').status).toBe(1);
    expect(run('create', '--scope', 'admin', '--name', 'x').status).toBe(64);
    const listed = run('list');
    expect(listed.stdout).toMatch(/read\s+active\s+cli-reader/);
    expect(listed.stdout).not.toContain(token);
    return (async () => {
      // Used twice: its lookup is cached.
      expect((await get('/api/v1/providers', token)).status).toBe(200);
      expect((await get('/api/v1/providers', token)).status).toBe(200);
      expect(run('revoke', '--name', 'cli-reader').status).toBe(0);
      // The trigger's notification reaches the API in milliseconds; a second bounds it here.
      const started = Date.now();
      let refused = await get('/api/v1/providers', token);
      while (refused.status === 200 && Date.now() - started < 1000) refused = await get('/api/v1/providers', token);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await get('/api/v1/providers', 'Basic abc')).status).toBe(401);
    })();
  });

  it('tokens - while the API cannot hear revocations (its listening connection killed), every request looks its token up again', async () => {
    const token = await s.token('read', 'gap-check');
    const c = new Client({ connectionString: s.db.url });
    await c.connect();
    try {
      expect((await get('/api/v1/providers', token)).status).toBe(200);
      expect((await get('/api/v1/providers', token)).status).toBe(200);
      const killed = await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE '%-listen'`);
      expect(killed.rowCount).toBe(1);
      // Wait until the API knows it is deaf: a probe token used, then revoked while nobody
      // listens, is refused only once the API stopped trusting its cache.
      const probe = await s.token('read', 'gap-probe');
      expect((await get('/api/v1/providers', probe)).status).toBe(200);
      await c.query(`UPDATE api_token SET revoked_at = now() WHERE name = 'gap-probe'`);
      await until(async () => (await get('/api/v1/providers', probe)).status === 401, 10_000, 'the API noticed it no longer listens');
      // Used, then revoked, while nobody listens (the listener reconnects after a second): no
      // notification reaches the API, so the use in the gap must not have been cached.
      expect((await get('/api/v1/providers', token)).status).toBe(200);
      await c.query(`UPDATE api_token SET revoked_at = now() WHERE name = 'gap-check'`);
      expect((await get('/api/v1/providers', token)).status).toBe(401);
      // Listening again, the cache works as before: another token is served and refused after revocation.
      await until(async () => (await c.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE '%-listen'`)).rowCount === 1, 5000, 'listening again');
      const other = await s.token('read', 'gap-check-2');
      expect((await get('/api/v1/providers', other)).status).toBe(200);
      await c.query(`UPDATE api_token SET revoked_at = now() WHERE name = 'gap-check-2'`);
      await until(async () => (await get('/api/v1/providers', other)).status === 401, 1000, 'revocation heard');
    } finally {
      await c.end();
    }
  });

  it('logs - no token ever appears, not even one passed as ?token= in a URL', async () => {
    const secret = await s.token('read', 'log-check');
    expect((await call(s, 'GET', `/api/v1/calendar.ics?token=${secret}&circuit=`)).status).toBe(400);
    expect((await call(s, 'GET', `/api/v1/maintenances?token=${secret}`)).status).toBe(401);
    expect((await call(s, 'GET', '/api/v1/maintenances?limit=0', { token: secret })).status).toBe(400);
    await until(() => s.api.output().includes('calendar.ics?token=***'), 5000, 'the request logged, masked');
    for (const t of [secret, s.readToken, s.writeToken]) expect(s.api.output()).not.toContain(t.slice(4));
  });
});
