// Property: whatever a request without a valid signature looks like (no signature, bad hex,
// another secret, another body, another timestamp, a flipped bit, stale), the gateway refuses
// it and stores nothing. fast-check generates the requests; the gateway is the real one.
import fc from 'fast-check';
import { postWebhook, SECRET, startGateway, type GatewayStack } from '../testing/gateway-harness';
import { signWebhook } from './webhook-verifier';

jest.setTimeout(120_000);

const ROTATED = 'spec-rotated-secret-abcdef';

describe('junos-gateway - no request without a valid signature is ever stored', () => {
  let gw: GatewayStack;
  beforeAll(async () => {
    gw = await startGateway({ JUNOS_WEBHOOK_SECRETS: `${SECRET},${ROTATED}`, JUNOS_WEBHOOK_ACCEPT_LEGACY: 'true', JUNOS_WEBHOOK_RATE_PER_SECOND: '100000', JUNOS_WEBHOOK_RATE_BURST: '100000' });
  });
  afterAll(async () => {
    await gw?.stop();
  });

  // Bodies that would be stored if signed: valid device events, plus arbitrary bytes.
  const eventBody = fc
    .record({
      event: fc.constantFrom('SNMP_TRAP_LINK_DOWN', 'RPD_BGP_NEIGHBOR_STATE_CHANGED', 'UI_COMMIT_COMPLETED', 'CHASSISD_ALARM_SET'),
      hostname: fc.stringMatching(/^[a-z][a-z0-9.-]{0,20}$/),
      message: fc.string({ maxLength: 200 }),
      id: fc.uuid(),
    })
    .map((o) => Buffer.from(JSON.stringify(o)));
  const body = fc.oneof(eventBody, fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)));
  const now = () => Math.floor(Date.now() / 1000);
  const flip = (hex: string, i: number) => hex.slice(0, i) + ((parseInt(hex[i], 16) ^ 1).toString(16)) + hex.slice(i + 1);

  type Forgery = (b: Buffer) => Record<string, string>;
  const forgery: fc.Arbitrary<Forgery> = fc.oneof(
    fc.constant<Forgery>(() => ({ 'junos-timestamp': String(now()) })),
    fc.string({ maxLength: 80 }).map<Forgery>((s) => () => ({ 'junos-timestamp': String(now()), 'junos-auth': s })),
    fc.stringMatching(/^[0-9a-f]{64}$/).map<Forgery>((hex) => () => ({ 'junos-timestamp': String(now()), 'junos-auth': hex })),
    fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s !== SECRET && s !== ROTATED).map<Forgery>((secret) => (b) => {
      const ts = now();
      return { 'junos-timestamp': String(ts), 'junos-auth': signWebhook(secret, b, ts) };
    }),
    fc.uint8Array({ minLength: 1, maxLength: 50 }).map<Forgery>((other) => (b) => {
      // A valid signature of another body.
      const ts = now();
      const o = Buffer.concat([b, Buffer.from(other)]);
      return { 'junos-timestamp': String(ts), 'junos-auth': signWebhook(SECRET, o, ts) };
    }),
    fc.integer({ min: 1, max: 100_000 }).map<Forgery>((shift) => (b) => {
      // Signed for one timestamp, sent with another.
      const ts = now();
      return { 'junos-timestamp': String(ts + shift), 'junos-auth': signWebhook(SECRET, b, ts) };
    }),
    fc.integer({ min: 301, max: 10_000_000 }).map<Forgery>((age) => (b) => {
      const ts = now() - age;
      return { 'junos-timestamp': String(ts), 'junos-auth': signWebhook(ROTATED, b, ts) };
    }),
    fc.integer({ min: 0, max: 63 }).map<Forgery>((i) => (b) => {
      const ts = now();
      return { 'junos-timestamp': String(ts), 'junos-auth': flip(signWebhook(SECRET, b, ts), i) };
    }),
    fc.integer({ min: 0, max: 63 }).map<Forgery>((i) => (b) => ({ 'junos-auth': flip(signWebhook(SECRET, b), i) })),
  );

  it('webhooks - property: forged, stale or unsigned requests are refused and store nothing', async () => {
    const before = await gw.storedCount();
    await fc.assert(
      fc.asyncProperty(body, forgery, async (b, forge) => {
        const res = await postWebhook(gw.url, b, { headers: forge(b) });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: 'unauthorized' });
      }),
      { numRuns: 300 },
    );
    expect(await gw.storedCount()).toBe(before);
  });

  it('webhooks - the same generators, signed properly, are stored (the property can fail)', async () => {
    const before = await gw.storedCount();
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(eventBody, async (b) => {
        const ts = now();
        const res = await postWebhook(gw.url, b, { headers: { 'junos-timestamp': String(ts), 'junos-auth': signWebhook(SECRET, b, ts) } });
        expect([200, 202]).toContain(res.status);
        if (res.status === 202) stored++;
      }),
      { numRuns: 30 },
    );
    expect(stored).toBeGreaterThan(0);
    expect(await gw.storedCount()).toBe(before + stored);
  });
});
