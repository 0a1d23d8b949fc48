// Drain and restore through the real pieces: the gateway (in this process, or as its built
// process for the kill), real NATS and PostgreSQL, and the Junos simulator over SSH/NETCONF.
// Lifecycle events are published the way maintenance-api's relay publishes them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { lifecycleEventId, SUBJECTS, type DrainPolicy, type LifecycleEvent, type LifecycleType, type MaintenanceSnapshot } from '@maintwatch/contracts';
import { buildApp, sharedNatsUrl, startApp, startFakeSlack, startJunosSimulator, until, type AppProcess, type FakeSlack, type JunosSimulator } from '@maintwatch/testing';
import type { DrainJob } from '@maintwatch/persistence';
import { startGateway, type GatewayStack } from '../testing/gateway-harness';

jest.setTimeout(180_000);

const BASELINE = [
  'set system host-name sim-mx1',
  'set protocols bgp group TRANSIT neighbor 192.0.2.1 peer-as 64500',
  'set protocols bgp group TRANSIT neighbor 198.51.100.1 peer-as 64501',
  'set interfaces xe-0/0/1 unit 0 family inet address 192.0.2.2/31',
  'set interfaces xe-0/0/2 unit 0 family inet address 198.51.100.2/31',
];

let seq = 0;
const now = (): number => Math.floor(Date.now() / 1000);

function snapshot(over: Partial<MaintenanceSnapshot> & { drain?: Partial<DrainPolicy>; circuit?: string; interface?: string } = {}): MaintenanceSnapshot {
  const { drain, circuit, interface: ifname, ...rest } = over;
  const policy: DrainPolicy = { method: 'graceful-shutdown', leadMinutes: 0, graceMinutes: 0, confirmMinutes: 1, dryRun: false, ...drain };
  return {
    providerType: 'zayo',
    providerName: 'Zayo',
    maintenanceId: `TTN-${++seq}`,
    account: 'ACME',
    status: 'CONFIRMED',
    start: now() + 1,
    end: now() + 3600,
    summary: 'fiber splice',
    sequence: 1,
    stamp: now(),
    version: 1,
    circuits: [
      {
        providerCircuitId: circuit ?? 'OGYX/123456',
        impact: 'OUTAGE',
        redundancyGroup: 'fra-transit',
        verified: true,
        deviceBinding: { device: 'edge1', bgpGroup: 'TRANSIT', bgpNeighbor: '192.0.2.1', ...(ifname ? { interface: ifname } : {}), drain: policy },
      },
    ],
    redundancyGroups: [{ name: 'fra-transit', allCircuitsAffected: false }],
    authentication: { authenticated: true, actionable: true, reason: 'dkim pass for zayo.com' },
    ...rest,
  };
}

function event(type: LifecycleType, m: MaintenanceSnapshot): LifecycleEvent {
  return { eventId: lifecycleEventId(m.providerType, m.maintenanceId, type, m.version), type, occurredAt: now(), maintenance: m, changes: [] };
}

describe('junos-gateway - drain and restore around a maintenance', () => {
  let dir: string;
  let sim: JunosSimulator;
  let gw: GatewayStack;
  let env: Record<string, string>;
  let slack: FakeSlack;
  let notifier: AppProcess;

  const publish = (e: LifecycleEvent) => gw.bus.publish(SUBJECTS.maintenanceEvent(e.type), e, { msgId: e.eventId });
  const job = async (m: MaintenanceSnapshot): Promise<DrainJob | undefined> => (await gw.store.repos.drains.forMaintenance(m.providerType, m.maintenanceId))[0];
  const stateOf = async (m: MaintenanceSnapshot, states: string[], what: string): Promise<DrainJob> => {
    await until(async () => states.includes((await job(m))?.state ?? ''), 60_000, `${m.maintenanceId} ${what} (${states.join('|')})`);
    return (await job(m)) as DrainJob;
  };
  const steps = async (j: DrainJob) => (await gw.store.repos.drains.steps(j.id)).map((s) => s.step);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'drain-e2e-'));
    // A Junos "minute" of 3 s: the confirm timeout of the kill test runs out in seconds.
    sim = await startJunosSimulator({ minuteMs: 3000 });
    const inventory = join(dir, 'devices.yaml');
    writeFileSync(inventory, yaml.dump({ devices: [{ name: 'edge1', host: sim.host, port: sim.port, username: 'lab', passwordEnv: 'EDGE1_PASSWORD', hostKeys: [sim.hostKeyFingerprint] }] }));
    env = { JUNOS_DEVICES_FILE: inventory, JUNOS_HOST_KEYS_FILE: join(dir, 'keys.json'), EDGE1_PASSWORD: sim.users.lab, DRAIN_TICK_MS: '200', DRAIN_SETTLE_SECONDS: '0', DRAIN_ESTABLISH_SECONDS: '10' };
    process.env.EDGE1_PASSWORD = sim.users.lab;
    gw = await startGateway(env);
    // The notifier announces every drain step to Slack (the gateway has no chat client).
    slack = await startFakeSlack({ channels: ['C_NET'] });
    const routes = join(dir, 'routes.yaml');
    writeFileSync(routes, yaml.dump({ destinations: { slack: { type: 'slack-webhook', urlEnv: 'SPEC_SLACK_URL', rateLimit: { perSecond: 50 } } }, routes: [{ name: 'drains', events: ['drain'], destinations: ['slack'] }] }));
    buildApp('notifier');
    notifier = await startApp('notifier', { NATS_URL: sharedNatsUrl(), NATS_NAMESPACE: gw.ns, NOTIFIER_ROUTES_FILE: routes, SPEC_SLACK_URL: slack.webhookUrl('C_NET') });
    await until(async () => (await fetch(`${notifier.url}/readyz`)).status === 200, 20_000, 'notifier ready');
  });
  beforeEach(() => {
    sim.state.running = [...BASELINE];
    sim.state.candidate = [...BASELINE];
    sim.state.commits.length = 0;
  });
  afterAll(async () => {
    await notifier?.stop();
    await slack?.close();
    await gw?.stop();
    await sim?.stop();
    delete process.env.EDGE1_PASSWORD;
    rmSync(dir, { recursive: true, force: true });
  });

  it('drains before the window with commit confirmed, then restores the configuration to the byte after it', async () => {
    const m = snapshot();
    await publish(event('new', m));
    const drained = await stateOf(m, ['drained'], 'drained');
    const group = drained.groupName;
    expect(sim.state.running).toEqual([...BASELINE, `set groups ${group} protocols bgp group TRANSIT neighbor 192.0.2.1 graceful-shutdown sender`, `set apply-groups ${group}`]);
    // Committed confirmed, then confirmed: the device keeps it.
    expect(sim.state.commits.map((c) => c.confirmedMinutes ?? 'confirm')).toEqual([1, 'confirm']);
    expect(sim.state.commits[0].log).toBe(`MAINT zayo ${m.maintenanceId} drain OGYX/123456`);
    expect(drained.undoLines).toEqual([`delete apply-groups ${group}`, `delete groups ${group}`]);
    expect(sim.state.lockedBy).toBeUndefined();

    await publish(event('ended', { ...m, status: 'COMPLETED', end: now(), version: 2 }));
    const restored = await stateOf(m, ['restored'], 'restored');
    expect(sim.state.running.join('\n')).toBe(BASELINE.join('\n'));
    expect(await steps(restored)).toEqual(['planned', 'committed-confirmed', 'drained', 'restore-committed-confirmed', 'restored']);
    const audit = await gw.store.repos.drains.steps(restored.id);
    expect(audit.find((s) => s.step === 'drained')?.diff).toContain(`+ set apply-groups ${group}`);
    expect(audit.find((s) => s.step === 'restored')?.diff).toContain(`- set apply-groups ${group}`);
    // Every step announced on device.drain.v1.<step>.
    await until(async () => {
      const jsm = await gw.bus.jsm();
      const info = await jsm.streams.info(gw.bus.ns.stream('DEVICE'), { subjects_filter: '>' });
      const subjects = info.state.subjects ?? {};
      return ['drained', 'restored'].every((s) => (subjects[gw.bus.ns.subject(`device.drain.v1.${s}`)] ?? 0) >= 1);
    }, 15_000, 'drain steps published');
    // ... and posted to Slack by the notifier, the diff with them.
    await until(() => slack.messages('C_NET').some((msg) => JSON.stringify(msg).includes(`Circuit drain restored: zayo ${m.maintenanceId}`)), 20_000, 'restore posted');
    const posted = slack.messages('C_NET').map((msg) => JSON.stringify(msg));
    const drainedPost = posted.find((p) => p.includes(`Circuit drain drained: zayo ${m.maintenanceId} on edge1`));
    expect(drainedPost).toContain(`+ set apply-groups ${group}`);
  });

  it('applies once when the same event is delivered twice and a second event arrives mid-flow', async () => {
    const m = snapshot({ drain: { method: 'disable-interface' }, interface: 'xe-0/0/1' });
    const e = event('new', m);
    await publish(e);
    // The same event under another message id (a redelivery past the de-duplication window).
    await gw.bus.publish(SUBJECTS.maintenanceEvent('new'), e, { msgId: `${e.eventId}-again` });
    await publish(event('updated', { ...m, version: 2, summary: 'fiber splice (updated)' }));
    const drained = await stateOf(m, ['drained'], 'drained');
    expect(sim.state.commits.filter((c) => c.confirmedMinutes !== undefined)).toHaveLength(1);
    expect(sim.state.running).toContain(`set groups ${drained.groupName} interfaces xe-0/0/1 disable`);
    expect(await gw.store.repos.drains.forMaintenance(m.providerType, m.maintenanceId)).toHaveLength(1);
    await publish(event('cancelled', { ...m, status: 'CANCELLED', version: 3 }));
    await stateOf(m, ['restored'], 'restored after the cancellation');
    expect(sim.state.running.join('\n')).toBe(BASELINE.join('\n'));
  });

  it('dry-run: announces the diff and leaves the configuration unchanged', async () => {
    const m = snapshot({ drain: { dryRun: true } });
    await publish(event('new', m));
    const j = await stateOf(m, ['dry-run'], 'dry-run');
    expect(sim.state.running).toEqual(BASELINE);
    expect(sim.state.commits).toEqual([]);
    const dry = (await gw.store.repos.drains.steps(j.id)).find((s) => s.step === 'dry-run');
    expect(dry?.diff).toBe(`+ set groups ${j.groupName} protocols bgp group TRANSIT neighbor 192.0.2.1 graceful-shutdown sender\n+ set apply-groups ${j.groupName}`);
  });

  it('refuses the last path of a redundancy group, and an unauthenticated maintenance, without touching the device', async () => {
    const last = snapshot({ redundancyGroups: [{ name: 'fra-transit', allCircuitsAffected: true }] });
    const { authentication: _, ...unsigned } = snapshot();
    await publish(event('new', last));
    await publish(event('new', unsigned as MaintenanceSnapshot));
    const a = await stateOf(last, ['refused'], 'refused');
    const b = await stateOf(unsigned as MaintenanceSnapshot, ['refused'], 'refused');
    expect(a.detail).toMatch(/^not acted on: last path/);
    expect(b.detail).toMatch(/^not acted on: unauthenticated/);
    expect(await steps(a)).toEqual(['not-acted-on']);
    expect(sim.state.running).toEqual(BASELINE);
    expect(sim.state.commits).toEqual([]);
  });

  it('a pre-check that fails (neighbor not Established) applies nothing and says why', async () => {
    sim.state.running = [...BASELINE, 'deactivate protocols bgp group TRANSIT neighbor 192.0.2.1'];
    sim.state.candidate = [...sim.state.running];
    const m = snapshot();
    await publish(event('new', m));
    const j = await stateOf(m, ['refused'], 'refused');
    expect(j.detail).toBe('pre-check failed: BGP neighbor 192.0.2.1 is Idle, not Established');
    expect(sim.state.commits).toEqual([]);
  });

  it('cancelled before the start: nothing is applied', async () => {
    const m = snapshot({ start: now() + 3600, end: now() + 7200 });
    await publish(event('new', m));
    await until(async () => (await job(m)) !== undefined, 15_000, 'job scheduled');
    await publish(event('cancelled', { ...m, status: 'CANCELLED', version: 2 }));
    const j = await stateOf(m, ['cancelled'], 'cancelled');
    expect(await steps(j)).toEqual(['cancelled']);
    expect(sim.state.commits).toEqual([]);
  });
});
