// Provider mail to a drained BGP session, every service a separate process on real NATS and
// PostgreSQL, the router a Junos simulator over SSH/NETCONF: a notice the mailbox's MTA
// authenticated for the provider's domain drains the circuit's session before the window; the
// same notice forged (an Authentication-Results header the sender wrote itself) is recorded and
// announced but never touches the router. And the whole way from a mailbox: a notice delivered to
// a Dovecot mailbox is read by ingest over IMAP, drains when its window starts and restores the
// router's configuration to the byte when it ends.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import yaml from 'js-yaml';
import { Bus } from '@maintwatch/messaging';
import { Store } from '@maintwatch/persistence';
import {
  buildApp,
  startApp,
  startDovecot,
  startJunosSimulator,
  startNats,
  testDatabase,
  testNamespace,
  until,
  type AppProcess,
  type DovecotHandle,
  type JunosSimulator,
  type NatsServerHandle,
  type TestDatabase,
} from '@maintwatch/testing';
import { generateToken, hashToken } from '../apps/maintenance-api/src/api/auth/api-token';

jest.setTimeout(240_000);

const TRUSTED_MTA = 'mx.customer.example';
const BASELINE = [
  'set system host-name sim-mx1',
  'set protocols bgp group TRANSIT neighbor 192.0.2.1 peer-as 2914',
  'set protocols bgp group TRANSIT neighbor 198.51.100.1 peer-as 2914',
  'set protocols bgp group TRANSIT neighbor 203.0.113.1 peer-as 2914',
];
const stamp = (t: number) => new Date(t * 1000).toISOString().replace(/[-:]|\.\d{3}/g, '');

/** An NTT notice in the BCOP shape NTT sends, with the MTA's Authentication-Results on top. */
function nttNotice(ticket: string, circuit: string, start: number, end: number, authenticationResults: string): Buffer {
  const ics = [
    'BEGIN:VCALENDAR',
    'PRODID:Data::ICal 0.24',
    'VERSION:2.0',
    'BEGIN:VEVENT',
    `DTEND:${stamp(end)}`,
    `DTSTAMP:${stamp(start - 86_400)}`,
    `DTSTART:${stamp(start)}`,
    'SEQUENCE:1',
    `SUMMARY:NTT Communications (AS2914) Maintenance Notification: Scheduled [${ticket}]`,
    `UID:${ticket}`,
    'X-MAINTNOTE-ACCOUNT:77001234',
    'X-MAINTNOTE-IMPACT:OUTAGE',
    `X-MAINTNOTE-MAINTENANCE-ID:${ticket}`,
    `X-MAINTNOTE-OBJECT-ID;X-MAINTNOTE-OBJECT-IMPACT=OUTAGE:${circuit}`,
    'X-MAINTNOTE-PROVIDER:NTT Communications (AS2914)',
    'X-MAINTNOTE-STATUS:CONFIRMED',
    'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n');
  return Buffer.from(
    [
      authenticationResults,
      'Received: from mail.us.ntt.net (mail.us.ntt.net [198.51.100.25]) by mx.customer.example with ESMTPS; Mon, 7 Dec 2026 00:00:00 +0000',
      'From: NTT Communications Global IP Network NOC <noc@us.ntt.net>',
      'To: netops@customer.example',
      `Subject: NTT Communications (AS2914) Maintenance Notification: Scheduled [${ticket}]`,
      'Date: Mon, 07 Dec 2026 00:00:00 +0000',
      `Message-ID: <${ticket}@us.ntt.net>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Scheduled maintenance ${ticket} on ${circuit}.`,
      '--b1',
      'Content-Type: text/calendar; charset=utf-8',
      `Content-Disposition: attachment; filename="${ticket}.ics"`,
      '',
      ics,
      '--b1--',
      '',
    ].join('\r\n'),
  );
}

interface DrainView {
  maintenanceId: string;
  circuitId: string;
  state: string;
  detail?: string;
}

describe('signed provider notice to a drained BGP session - the whole chain', () => {
  let dir: string;
  let nats: NatsServerHandle;
  let db: TestDatabase;
  let sim: JunosSimulator;
  let dovecot: DovecotHandle;
  let bus: Bus;
  let store: Store;
  let token: string;
  const ns = testNamespace();
  const apps: AppProcess[] = [];
  let api: AppProcess;
  let gateway: AppProcess;

  const call = async (base: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const drains = async (): Promise<DrainView[]> => (await call(gateway.url, 'GET', '/api/v1/drains')).body.items;
  const drainOf = async (ticket: string, states: string[]): Promise<DrainView> => {
    let found: DrainView | undefined;
    await until(async () => {
      found = (await drains()).find((d) => d.maintenanceId === ticket);
      return found !== undefined && states.includes(found.state);
    }, 90_000, `drain of ${ticket} ${states.join('|')}`);
    return found as DrainView;
  };

  beforeAll(async () => {
    for (const app of ['parser', 'maintenance-api', 'junos-gateway'] as const) buildApp(app);
    dir = mkdtempSync(join(tmpdir(), 'signed-drain-'));
    for (const app of ['ingest'] as const) buildApp(app);
    [nats, db, sim, dovecot] = await Promise.all([
      startNats(),
      testDatabase(),
      startJunosSimulator({ minuteMs: 3000 }),
      startDovecot({ users: [{ user: 'netops', pass: 'pw-netops' }] }),
    ]);
    sim.state.running = [...BASELINE];
    sim.state.candidate = [...BASELINE];
    const inventory = join(dir, 'devices.yaml');
    writeFileSync(inventory, yaml.dump({ devices: [{ name: 'edge1', host: sim.host, port: sim.port, username: 'lab', passwordEnv: 'EDGE1_PASSWORD', hostKeys: [sim.hostKeyFingerprint] }] }));
    const base = { NATS_URL: nats.url, NATS_NAMESPACE: ns };
    // maintenance-api first: it migrates the database the gateway shares.
    // The clock looks for due transitions (started, ended) twice a second.
    api = await startApp('maintenance-api', { ...base, DATABASE_URL: db.url, CLOCK_INTERVAL_MS: '500' }, 30_000);
    apps.push(api);
    await until(async () => (await fetch(`${api.url}/readyz`)).status === 200, 30_000, 'maintenance-api ready');
    store = await Store.open({ url: db.url, poolSize: 2 });
    token = generateToken();
    await store.repos.api.tokens.create({ name: 'chain-spec', scope: 'write', tokenHash: hashToken(token) });
    const sources = join(dir, 'sources.yaml');
    writeFileSync(
      sources,
      JSON.stringify({
        defaults: { reconnect: { minMs: 100, maxMs: 1000 } },
        sources: [{ name: 'netops', type: 'imap', host: dovecot.host, port: dovecot.port, security: 'none', user: 'netops', passwordEnv: 'NETOPS_IMAP_PASSWORD' }],
      }),
    );
    const [parser, gw, ingest] = await Promise.all([
      startApp('parser', { ...base, PARSER_TRUSTED_AUTHSERV_IDS: TRUSTED_MTA, PARSER_ACK_WAIT_MS: '5000' }, 30_000),
      startApp(
        'junos-gateway',
        {
          ...base,
          DATABASE_URL: db.url,
          JUNOS_DEVICES_FILE: inventory,
          JUNOS_HOST_KEYS_FILE: join(dir, 'keys.json'),
          EDGE1_PASSWORD: sim.users.lab,
          DRAIN_TICK_MS: '200',
          DRAIN_SETTLE_SECONDS: '0',
          DRAIN_ESTABLISH_SECONDS: '10',
        },
        30_000,
      ),
      startApp('ingest', { ...base, INGEST_SOURCES_FILE: sources, NETOPS_IMAP_PASSWORD: 'pw-netops' }, 30_000),
    ]);
    apps.push(parser, gw, ingest);
    gateway = gw;
    await until(async () => (await fetch(`${gateway.url}/readyz`)).status === 200, 30_000, 'junos-gateway ready');
    bus = await Bus.connect({ servers: nats.url, name: 'chain-spec', namespace: ns });
    const drain = { method: 'graceful-shutdown', leadMinutes: 0, graceMinutes: 0, confirmMinutes: 1, dryRun: false };
    for (const [circuit, neighbor] of [['201945', '192.0.2.1'], ['318822', '198.51.100.1'], ['400123', '203.0.113.1']]) {
      const created = await call(api.url, 'POST', '/api/v1/circuits', {
        providerType: 'ntt',
        providerCircuitId: circuit,
        deviceBinding: { device: 'edge1', bgpGroup: 'TRANSIT', bgpNeighbor: neighbor, drain },
      });
      expect(created.status).toBe(201);
    }
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    await bus?.close();
    await store?.close();
    await db?.drop();
    await nats?.stop();
    await sim?.stop();
    await dovecot?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('drains for the authenticated notice and refuses the forged one, and the API says why', async () => {
    const now = Math.floor(Date.now() / 1000);
    const signed = `VNOC-1-${randomBytes(4).toString('hex')}`;
    const forged = `VNOC-1-${randomBytes(4).toString('hex')}`;
    // What the mailbox's own MTA wrote on top of the genuine notice.
    const trusted = `Authentication-Results: ${TRUSTED_MTA};\r\n dkim=pass header.d=us.ntt.net header.s=mx2024 header.b=Zm9v;\r\n spf=pass smtp.mailfrom=noc@us.ntt.net;\r\n dmarc=pass header.from=us.ntt.net`;
    // The forger writes a "pass" of its own; the trusted MTA's verdict on top says otherwise.
    const forgedHeaders = `Authentication-Results: ${TRUSTED_MTA}; dkim=none; spf=softfail smtp.mailfrom=noc@us.ntt.net; dmarc=fail header.from=us.ntt.net\r\nAuthentication-Results: ${TRUSTED_MTA}; dkim=pass header.d=us.ntt.net`;
    const meta = (id: string) => ({ noticeId: `chain:${id}`, source: 'chain', receivedAt: now, attempt: 1, correlationId: `corr-${id}` });
    await bus.publishRawNotice(meta(signed), nttNotice(signed, '201945', now + 2, now + 3600, trusted));
    await bus.publishRawNotice(meta(forged), nttNotice(forged, '318822', now + 2, now + 3600, forgedHeaders));

    const good = await drainOf(signed, ['drained']);
    expect(good.circuitId).toBe('201945');
    const bad = await drainOf(forged, ['refused']);
    expect(bad.detail).toMatch(/^not acted on: unauthenticated/);
    // Only the authenticated maintenance's session was touched.
    expect(sim.state.running.some((l) => l.includes('neighbor 192.0.2.1 graceful-shutdown'))).toBe(true);
    expect(sim.state.running.some((l) => l.includes('198.51.100.1 graceful-shutdown'))).toBe(false);
    expect(sim.state.commits.map((c) => c.log)).toEqual([`MAINT ntt ${signed} drain 201945`, `MAINT ntt ${signed} drain 201945 confirmed`]);

    // Both maintenances are stored; each says how it was authenticated.
    const list = async () => (await call(api.url, 'GET', '/api/v1/maintenances?provider=ntt&limit=100')).body;
    const view = async (ticket: string) => {
      const page = await list();
      const item = page.items.find((i: { maintenanceId: string }) => i.maintenanceId === ticket);
      return (await call(api.url, 'GET', `/api/v1/maintenances/${item.id}`)).body;
    };
    const g = await view(signed);
    expect(g.authentication).toMatchObject({ authenticated: true, actionable: true });
    expect(g.authentication.reason).toContain(`${TRUSTED_MTA}: dkim=pass for us.ntt.net`);
    const f = await view(forged);
    expect(f.authentication).toMatchObject({ authenticated: false, actionable: false });
    expect(f.authentication.reason).toContain('dmarc=fail');
    // The API learns the gateway's steps: the maintenance's page shows drained and refused.
    const drainState = async (ticket: string) => ((await view(ticket)).drains as { state: string; step: string; device: string; detail: string }[]).map((d) => `${d.device} ${d.state}`);
    await until(async () => (await drainState(signed)).join() === 'edge1 drained', 30_000, 'the drained state in the API');
    await until(async () => (await drainState(forged)).join().endsWith(' refused'), 30_000, 'the refused state in the API');
    expect(((await view(forged)).drains as { detail: string }[])[0].detail).toMatch(/^not acted on: unauthenticated/);
  });

  it('a notice delivered to the mailbox drains when its window starts and restores the router to the byte when it ends', async () => {
    const ticket = `VNOC-2-${randomBytes(4).toString('hex')}`;
    const before = [...sim.state.running];
    const commits = sim.state.commits.length;
    const now = Math.floor(Date.now() / 1000);
    // Starts in a few seconds (time to be read, parsed and stored), ends half a minute later.
    const start = now + 8;
    const end = start + 30;
    const trusted = `Authentication-Results: ${TRUSTED_MTA}; dkim=pass header.d=us.ntt.net header.s=mx2024; dmarc=pass header.from=us.ntt.net`;
    await dovecot.appendMail('netops', 'INBOX', nttNotice(ticket, '400123', start, end, trusted));

    const drained = await drainOf(ticket, ['drained']);
    expect(drained.circuitId).toBe('400123');
    expect(sim.state.running.filter((l) => !before.includes(l)).join('\n')).toMatch(/neighbor 203\.0\.113\.1 graceful-shutdown/);

    await drainOf(ticket, ['restored']);
    expect(sim.state.running.join('\n')).toBe(before.join('\n'));
    expect(sim.state.commits.slice(commits).map((c) => c.log)).toEqual([
      `MAINT ntt ${ticket} drain 400123`,
      `MAINT ntt ${ticket} drain 400123 confirmed`,
      `MAINT ntt ${ticket} drain 400123 restore`,
      `MAINT ntt ${ticket} drain 400123 restore confirmed`,
    ]);
    expect(sim.state.lockedBy).toBeUndefined();
  });
});
