// Operator actions through the real pieces: the gateway in this process with its PostgreSQL,
// the shared nats-server, the Junos simulator over SSH/NETCONF as the device and ftp-srv as
// JTAC's FTP server. Requests come over REST (API tokens) and device.action.v1.*.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { Subscription } from '@nats-io/nats-core';
import { SUBJECTS, type DeviceAction, type DeviceActionProgress, type DeviceActionResult } from '@maintwatch/contracts';
import type { DeviceActionRecord } from '@maintwatch/persistence';
import { startFtpServer, startJunosSimulator, until, type FtpServerHandle, type JunosSimulator } from '@maintwatch/testing';
import { startGateway, type GatewayStack } from '../testing/gateway-harness';

jest.setTimeout(180_000);

describe('junos-gateway - operator actions', () => {
  let dir: string;
  let sim: JunosSimulator;
  let ftp: FtpServerHandle;
  let gw: GatewayStack;
  let writeToken: string;
  const results: DeviceActionResult[] = [];
  const progress: DeviceActionProgress[] = [];
  const subs: Subscription[] = [];

  const post = async (device: string, body: unknown, token = writeToken, headers: Record<string, string> = {}) => {
    const res = await fetch(`${gw.url}/api/v1/devices/${device}/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as DeviceActionRecord & { message?: string } };
  };
  const get = async (path: string, token = gw.readToken) => {
    const res = await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const action = async (id: string, done: (a: DeviceActionRecord) => boolean, what: string): Promise<DeviceActionRecord> => {
    let last: DeviceActionRecord | undefined;
    await until(async () => {
      const r = await get(`/api/v1/actions/${id}`);
      last = r.status === 200 ? (r.body as unknown as DeviceActionRecord) : undefined;
      return last !== undefined && done(last);
    }, 60_000, what);
    return last as DeviceActionRecord;
  };
  const resultOf = async (id: string): Promise<DeviceActionResult> => {
    await until(() => results.some((r) => r.actionId === id), 20_000, `result of ${id} on device.action-result.v1`);
    return results.find((r) => r.actionId === id) as DeviceActionResult;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'actions-e2e-'));
    [sim, ftp] = await Promise.all([startJunosSimulator({ timezone: 'Asia/Kolkata', rsiBytes: 200_000 }), startFtpServer()]);
    const inventory = join(dir, 'devices.yaml');
    writeFileSync(inventory, yaml.dump({ devices: [{ name: 'edge1', host: sim.host, port: sim.port, username: 'lab', passwordEnv: 'EDGE1_PASSWORD', hostKeys: [sim.hostKeyFingerprint], timezone: 'Asia/Kolkata' }] }));
    process.env.EDGE1_PASSWORD = sim.users.lab;
    const passwordFile = join(dir, 'ftp-password');
    writeFileSync(passwordFile, ftp.password);
    gw = await startGateway({
      JUNOS_DEVICES_FILE: inventory,
      JUNOS_HOST_KEYS_FILE: join(dir, 'keys.json'),
      EDGE1_PASSWORD: sim.users.lab,
      JTAC_FTP_HOST: ftp.host,
      JTAC_FTP_PORT: String(ftp.port),
      JTAC_FTP_DIR: '/jtac',
      JTAC_FTP_USER: ftp.user,
      JTAC_FTP_PASSWORD_FILE: passwordFile,
    });
    writeToken = `mwt_${randomBytes(32).toString('base64url')}`;
    await gw.store.repos.api.tokens.create({ name: 'noc-alice', scope: 'write', tokenHash: createHash('sha256').update(writeToken).digest('hex') });
    const listen = <T>(subject: string, into: T[]) => {
      const sub = gw.bus.nc.subscribe(gw.bus.ns.subject(subject));
      subs.push(sub);
      void (async () => {
        for await (const m of sub) into.push(m.json<T>());
      })();
    };
    listen(SUBJECTS.deviceActionResult, results);
    listen(SUBJECTS.deviceActionProgress, progress);
    await gw.bus.nc.flush();
  });
  afterAll(async () => {
    for (const s of subs) s.unsubscribe();
    await gw?.stop();
    await Promise.all([sim?.stop(), ftp?.stop()]);
    delete process.env.EDGE1_PASSWORD;
    rmSync(dir, { recursive: true, force: true });
  });

  it('REST - a command runs with text and XML output, audited with the token name', async () => {
    const t = await post('edge1', { kind: 'command', command: 'show version', format: 'text' });
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ device: 'edge1', kind: 'command', outcome: 'succeeded', requestedBy: 'noc-alice', source: 'rest', params: { command: 'show version', format: 'text' } });
    expect(t.body.output).toContain('Model: mx204');
    expect(t.body.durationMs).toEqual(expect.any(Number));
    const x = await post('edge1', { kind: 'command', command: 'show version', format: 'xml' });
    expect(x.body.output).toMatch(/<junos-version>23\.4R1\.9<\/junos-version>/);
    expect((await resultOf(x.body.id)).outcome).toBe('succeeded');
    expect(await gw.metric('maintwatch_gateway_actions_total', { kind: 'command', outcome: 'succeeded' })).toBe(2);
  });

  it('REST - reboot in N minutes, a second one refused (another shutdown is running), then cancelled', async () => {
    const r = await post('edge1', { kind: 'reboot', inMinutes: 30 });
    expect(r.body).toMatchObject({ outcome: 'succeeded', detail: expect.stringMatching(/^reboot in 30 min: Shutdown at /) });
    expect(sim.state.pendingReboot).toBeDefined();
    const again = await post('edge1', { kind: 'reboot', inMinutes: 5 });
    expect(again.body).toMatchObject({ outcome: 'refused', detail: 'another shutdown is running on the device (cancel-reboot clears it)' });
    expect((await resultOf(again.body.id)).outcome).toBe('refused');
    const cancel = await post('edge1', { kind: 'cancel-reboot' });
    expect(cancel.body).toMatchObject({ outcome: 'succeeded', detail: 'cancel reboot: Terminating...' });
    expect(sim.state.pendingReboot).toBeUndefined();
    expect(sim.state.reboots).toEqual([]);
  });

  it('REST - restart of an invalid daemon fails with the device message', async () => {
    const r = await post('edge1', { kind: 'restart-daemon', daemon: 'nosuchd', mode: 'immediately' });
    expect(r.body).toMatchObject({ outcome: 'failed', detail: 'device refused: invalid daemon: nosuchd' });
    expect(await resultOf(r.body.id)).toMatchObject({ action: 'restart-daemon', device: 'edge1', outcome: 'failed', detail: 'device refused: invalid daemon: nosuchd', requestedBy: 'noc-alice' });
  });

  it('REST - a JTAC bundle answers 202, progresses in the background and lands on the FTP server', async () => {
    const r = await post('edge1', { kind: 'jtac-bundle', jtacCase: '2026-1207-0042' });
    expect(r.status).toBe(202);
    expect(['pending', 'running']).toContain(r.body.outcome);
    const done = await action(r.body.id, (a) => a.outcome !== 'pending' && a.outcome !== 'running', 'jtac bundle finished');
    expect(done.outcome).toBe('succeeded');
    const [location] = done.artifacts;
    expect(location).toMatch(new RegExp(`^ftp://127\\.0\\.0\\.1:${ftp.port}/jtac/2026-1207-0042/Support-edge1-\\d{8}-\\d{6}\\.tgz$`));
    expect(location).not.toContain(ftp.password);
    expect(readdirSync(join(ftp.root, 'jtac', '2026-1207-0042'))).toEqual([location.split('/').pop()]);
    expect(done.progress).toMatchObject({ stage: 'upload', bytes: expect.any(Number) });
    expect((await resultOf(done.id)).artifacts).toEqual([location]);
    const stages = progress.filter((p) => p.actionId === done.id).map((p) => p.stage);
    expect([...new Set(stages)]).toEqual(['rsi', 'archive', 'fetch', 'cleanup', 'upload']);
    expect(JSON.stringify(await gw.store.repos.deviceActions.get(done.id))).not.toContain(ftp.password);
  });

  it('NATS - a request published twice with the same actionId reboots once', async () => {
    const reboots = sim.state.reboots.length;
    let rpcs = 0;
    const count = (name: string) => {
      if (name === 'request-reboot') rpcs++;
    };
    sim.events.on('rpc', count);
    const request: DeviceAction = { actionId: `ops-${randomUUID()}`, action: 'reboot', device: 'edge1', requestedBy: 'runbook-bot', requestedAt: Math.floor(Date.now() / 1000), params: { inMinutes: 20 }, dryRun: false };
    await gw.bus.publish(SUBJECTS.deviceAction('reboot'), request, { msgId: `${request.actionId}-1` });
    await gw.bus.publish(SUBJECTS.deviceAction('reboot'), request, { msgId: `${request.actionId}-2` });
    const result = await resultOf(request.actionId);
    expect(result).toMatchObject({ action: 'reboot', outcome: 'succeeded', requestedBy: 'runbook-bot' });
    // Both deliveries handled: the consumer has nothing pending, and the device saw one reboot request.
    const jsm = await gw.bus.jsm();
    await until(async () => {
      const info = await jsm.consumers.info(gw.bus.ns.stream('DEVICE'), 'junos-gateway-actions').catch(() => undefined);
      return info !== undefined && info.num_pending === 0 && info.num_ack_pending === 0;
    }, 20_000, 'both requests acked');
    sim.events.off('rpc', count);
    expect(rpcs).toBe(1);
    const listed = await get(`/api/v1/actions?device=edge1&kind=reboot&outcome=succeeded`);
    expect((listed.body.items as DeviceActionRecord[]).filter((a) => a.id === request.actionId)).toHaveLength(1);
    expect(results.filter((r) => r.actionId === request.actionId)).toHaveLength(1);
    await post('edge1', { kind: 'cancel-reboot' });
    expect(sim.state.reboots.length).toBe(reboots);
  });

  it('NATS - a request without its parameters is refused with the reason', async () => {
    const request: DeviceAction = { actionId: `ops-${randomUUID()}`, action: 'restart-daemon', device: 'edge1', requestedBy: 'runbook-bot', requestedAt: Math.floor(Date.now() / 1000), params: {}, dryRun: false };
    await gw.bus.publish(SUBJECTS.deviceAction('restart-daemon'), request, { msgId: request.actionId });
    expect(await resultOf(request.actionId)).toMatchObject({ outcome: 'refused', detail: expect.stringContaining('params.daemon') });
  });

  it('REST - the audit lists, filters and pages; unknown device 404, bad body 400', async () => {
    const all = await get('/api/v1/actions?limit=2');
    expect(all.status).toBe(200);
    expect((all.body.items as unknown[]).length).toBe(2);
    expect(all.body.total as number).toBeGreaterThanOrEqual(8);
    const page2 = await get('/api/v1/actions?limit=2&offset=2');
    expect((page2.body.items as DeviceActionRecord[]).map((a) => a.id)).not.toContain((all.body.items as DeviceActionRecord[])[0].id);
    const refused = await get('/api/v1/actions?outcome=refused');
    expect((refused.body.items as DeviceActionRecord[]).every((a) => a.outcome === 'refused')).toBe(true);
    expect((await get('/api/v1/actions?outcome=maybe')).status).toBe(400);
    expect((await get('/api/v1/actions/nope')).status).toBe(404);

    let clears = 0;
    const count = (name: string) => {
      if (name === 'clear-reboot') clears++;
    };
    sim.events.on('rpc', count);
    const first = await post('edge1', { kind: 'cancel-reboot' }, writeToken, { 'idempotency-key': 'chg-4711' });
    const retried = await post('edge1', { kind: 'cancel-reboot' }, writeToken, { 'idempotency-key': 'chg-4711' });
    sim.events.off('rpc', count);
    expect(retried.body.id).toBe(first.body.id);
    expect(clears).toBe(1);

    const unknown = await post('edge9', { kind: 'cancel-reboot' });
    expect(unknown).toMatchObject({ status: 404, body: { message: "device edge9 is not in the gateway's inventory" } });
    const bad = await post('edge1', { kind: 'command' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('command');
  });

  it('REST - no token, a wrong token or a read token cannot act', async () => {
    const none = await fetch(`${gw.url}/api/v1/devices/edge1/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'cancel-reboot' }) });
    expect(none.status).toBe(401);
    expect((await post('edge1', { kind: 'cancel-reboot' }, `mwt_${randomBytes(32).toString('base64url')}`)).status).toBe(401);
    expect((await post('edge1', { kind: 'cancel-reboot' }, gw.readToken)).status).toBe(403);
    expect((await fetch(`${gw.url}/api/v1/actions`)).status).toBe(401);
  });
});
