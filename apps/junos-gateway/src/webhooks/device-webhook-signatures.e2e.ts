// Signed device webhooks against the gateway on real NATS and PostgreSQL: what is accepted is
// stored once; everything else is refused (401 with no detail, 413, 400), counted by outcome,
// and leaves nothing in the database.
import { agentBody, postWebhook, SECRET, startGateway, type GatewayStack } from '../testing/gateway-harness';
import { signWebhook } from './webhook-verifier';

const OLD_SECRET = 'spec-old-secret-9876543210';
const now = () => Math.floor(Date.now() / 1000);

describe('junos-gateway - device webhook signatures', () => {
  let gw: GatewayStack;
  beforeAll(async () => {
    gw = await startGateway({ JUNOS_WEBHOOK_SECRETS: `${SECRET},${OLD_SECRET}`, JUNOS_WEBHOOK_MAX_BYTES: '2048' });
  });
  afterAll(async () => {
    await gw?.stop();
  });

  const linkDown = (n: number) => agentBody({ event: 'SNMP_TRAP_LINK_DOWN', hostname: 'edge1', message: `ifName xe-0/0/${n} down`, id: `spec-${n}-${now()}` });

  it('webhooks - a good signature is stored with its classification', async () => {
    const before = await gw.storedCount();
    const res = await postWebhook(gw.url, linkDown(1));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ priority: 3, eventId: expect.stringMatching(/^dev-[0-9a-f]{40}$/) });
    expect(await gw.storedCount()).toBe(before + 1);
    const [row] = await gw.store.repos.deviceEvents.list({ limit: 1 });
    expect(row.event).toMatchObject({ device: 'edge1', junosEvent: 'SNMP_TRAP_LINK_DOWN', kind: 'interface-state', severity: 'info', message: 'ifName xe-0/0/1 down' });
    expect(row.event.attributes).toMatchObject({ process: 'mib2d', scheme: 'timestamped' });
  });

  it('webhooks - tampered body, wrong secret, replay, stale, invalid hex: 401, nothing stored, counted', async () => {
    const before = await gw.storedCount();
    const body = linkDown(2);
    const ts = now();
    const sig = signWebhook(SECRET, body, ts);
    const tampered = Buffer.from(body.toString().replace('xe-0/0/2', 'xe-0/0/9'));
    const cases: [string, Buffer, Record<string, string>][] = [
      ['forged', tampered, { 'junos-timestamp': String(ts), 'junos-auth': sig }],
      ['forged', body, { 'junos-timestamp': String(ts), 'junos-auth': signWebhook('not-the-secret-at-all', body, ts) }],
      ['stale', body, { 'junos-timestamp': String(ts - 301), 'junos-auth': signWebhook(SECRET, body, ts - 301) }],
      ['invalid-hex', body, { 'junos-timestamp': String(ts), 'junos-auth': `${sig.slice(0, 62)}zz` }],
      ['missing-signature', body, { 'junos-timestamp': String(ts) }],
      ['bad-timestamp', body, { 'junos-auth': signWebhook(SECRET, body) }],
    ];
    for (const [reason, b, headers] of cases) {
      const counted = await gw.metric('maintwatch_gateway_webhooks_total', { outcome: reason });
      const res = await postWebhook(gw.url, b, { headers });
      expect({ reason, status: res.status, body: res.body }).toEqual({ reason, status: 401, body: { error: 'unauthorized' } });
      expect(await gw.metric('maintwatch_gateway_webhooks_total', { outcome: reason })).toBe(counted + 1);
    }
    expect(await gw.storedCount()).toBe(before);

    // The genuine request passes once; the same bytes and headers again are a replay.
    expect((await postWebhook(gw.url, body, { headers: { 'junos-timestamp': String(ts), 'junos-auth': sig } })).status).toBe(202);
    const replays = await gw.metric('maintwatch_gateway_webhooks_total', { outcome: 'replayed' });
    const replay = await postWebhook(gw.url, body, { headers: { 'junos-timestamp': String(ts), 'junos-auth': sig } });
    expect(replay).toEqual({ status: 401, body: { error: 'unauthorized' } });
    expect(await gw.metric('maintwatch_gateway_webhooks_total', { outcome: 'replayed' })).toBe(replays + 1);
    expect(await gw.storedCount()).toBe(before + 1);
  });

  it('webhooks - a retry of the same event with a new timestamp is stored once', async () => {
    const before = await gw.storedCount();
    const body = linkDown(3);
    const first = await postWebhook(gw.url, body, { ts: now() - 5 });
    const again = await postWebhook(gw.url, body, { ts: now() });
    expect(first.status).toBe(202);
    expect(again).toMatchObject({ status: 200, body: { duplicate: true, eventId: first.body.eventId } });
    expect(await gw.storedCount()).toBe(before + 1);
  });

  it('webhooks - rotation: the old and the new secret are both accepted', async () => {
    expect((await postWebhook(gw.url, linkDown(4), { secret: OLD_SECRET })).status).toBe(202);
    expect((await postWebhook(gw.url, linkDown(5), { secret: SECRET })).status).toBe(202);
  });

  it('webhooks - an oversized body is refused before it is read, and counted', async () => {
    const before = await gw.storedCount();
    const counted = await gw.metric('maintwatch_gateway_webhooks_total', { outcome: 'oversized' });
    const big = agentBody({ event: 'SNMP_TRAP_LINK_DOWN', hostname: 'edge1', message: 'x'.repeat(4096) });
    const res = await postWebhook(gw.url, big);
    expect(res.status).toBe(413);
    expect(await gw.metric('maintwatch_gateway_webhooks_total', { outcome: 'oversized' })).toBe(counted + 1);
    expect(await gw.storedCount()).toBe(before);
  });

  it('webhooks - a signed body that is not a device event is a 400 with the reason, nothing stored', async () => {
    const before = await gw.storedCount();
    const notJson = await postWebhook(gw.url, Buffer.from('{"event": "SNMP_TRAP_LINK_DOWN", '));
    expect(notJson).toEqual({ status: 400, body: { error: 'not a device event: the body is not JSON' } });
    const noHost = await postWebhook(gw.url, Buffer.from('{"event": "SNMP_TRAP_LINK_DOWN", "message": "m"}'));
    expect(noHost.status).toBe(400);
    expect(String(noHost.body.error)).toContain('hostname');
    expect(await gw.storedCount()).toBe(before);
  });

  it('webhooks - UTMD_EWF_CAT_OBSOLETE and RPD_RT_HWM_NOTICE are dropped by default, and counted', async () => {
    const before = await gw.storedCount();
    const counted = await gw.metric('maintwatch_gateway_webhooks_total', { outcome: 'dropped', priority: '4' });
    for (const event of ['UTMD_EWF_CAT_OBSOLETE', 'RPD_RT_HWM_NOTICE']) {
      const res = await postWebhook(gw.url, agentBody({ event, hostname: 'edge1', message: 'noise' }));
      expect(res).toEqual({ status: 200, body: { dropped: true, priority: 4 } });
    }
    expect(await gw.metric('maintwatch_gateway_webhooks_total', { outcome: 'dropped', priority: '4' })).toBe(counted + 2);
    expect(await gw.storedCount()).toBe(before);
  });

  it('device events - listed newest first with a read token, 401 without', async () => {
    expect((await fetch(`${gw.url}/api/v1/device-events`)).status).toBe(401);
    expect((await fetch(`${gw.url}/api/v1/device-events`, { headers: { authorization: 'Bearer mwt_' + 'x'.repeat(43) } })).status).toBe(401);
    const res = await fetch(`${gw.url}/api/v1/device-events?limit=2&device=edge1`, { headers: { authorization: `Bearer ${gw.readToken}` } });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: { id: string; device: string }[]; next?: string };
    expect(page.items).toHaveLength(2);
    expect(Number(page.items[0].id)).toBeGreaterThan(Number(page.items[1].id));
    expect(page.next).toBe(page.items[1].id);
  });
});
