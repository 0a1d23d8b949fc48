// A gateway SIGKILLed between commit confirmed and confirm: the device (the Junos simulator)
// rolls the drain back by itself at the confirm timeout, and the next gateway process, taking
// the job over once its lease has run out, reads the device and records the rollback.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { lifecycleEventId, SUBJECTS, type LifecycleEvent } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';
import { Store, type DrainJob } from '@maintwatch/persistence';
import { buildApp, sharedNatsUrl, startApp, startJunosSimulator, testDatabase, testNamespace, until, type AppProcess, type JunosSimulator, type TestDatabase } from '@maintwatch/testing';

jest.setTimeout(240_000);

const BASELINE = [
  'set system host-name sim-mx1',
  'set protocols bgp group TRANSIT neighbor 192.0.2.1 peer-as 64500',
  'set protocols bgp group TRANSIT neighbor 198.51.100.1 peer-as 64501',
];

describe('junos-gateway - killed mid-drain', () => {
  let dir: string;
  let sim: JunosSimulator;
  let db: TestDatabase;
  let bus: Bus;
  let store: Store;
  const procs: AppProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'drain-kill-'));
    // A Junos "minute" of 2 s: the device rolls back 2 s after the confirmed commit.
    sim = await startJunosSimulator({ minuteMs: 2000 });
    sim.state.running = [...BASELINE];
    sim.state.candidate = [...BASELINE];
    db = await testDatabase();
    store = await Store.open({ url: db.url, poolSize: 2 });
    buildApp('junos-gateway');
  });
  afterAll(async () => {
    for (const p of procs) await p.stop();
    await bus?.close();
    await store?.close();
    await db?.drop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the device rolls back and the next gateway records it; nothing is left locked', async () => {
    const ns = testNamespace();
    const inventory = join(dir, 'devices.yaml');
    writeFileSync(inventory, yaml.dump({ devices: [{ name: 'edge1', host: sim.host, port: sim.port, username: 'lab', passwordEnv: 'EDGE1_PASSWORD', hostKeys: [sim.hostKeyFingerprint] }] }));
    const env = {
      NATS_URL: sharedNatsUrl(),
      NATS_NAMESPACE: ns,
      DATABASE_URL: db.url,
      JUNOS_DEVICES_FILE: inventory,
      JUNOS_HOST_KEYS_FILE: join(dir, 'keys.json'),
      EDGE1_PASSWORD: sim.users.lab,
      DRAIN_TICK_MS: '200',
      DRAIN_LEASE_SECONDS: '3',
      LOG_LEVEL: 'warn',
    };
    // A long settle time holds the first gateway between commit confirmed and confirm.
    const first = await startApp('junos-gateway', { ...env, DRAIN_SETTLE_SECONDS: '600' });
    procs.push(first);
    await until(async () => (await fetch(`${first.url}/readyz`)).status === 200, 30_000, 'gateway ready');
    bus = await Bus.connect({ servers: sharedNatsUrl(), name: 'spec', namespace: ns });

    const t = Math.floor(Date.now() / 1000);
    const e: LifecycleEvent = {
      eventId: lifecycleEventId('zayo', 'KILL-1', 'new', 1),
      type: 'new',
      occurredAt: t,
      changes: [],
      maintenance: {
        providerType: 'zayo',
        providerName: 'Zayo',
        maintenanceId: 'KILL-1',
        account: 'ACME',
        status: 'CONFIRMED',
        start: t + 1,
        end: t + 3600,
        summary: 'fiber splice',
        sequence: 1,
        stamp: t,
        version: 1,
        circuits: [
          {
            providerCircuitId: 'OGYX/999',
            impact: 'OUTAGE',
            verified: true,
            deviceBinding: { device: 'edge1', bgpGroup: 'TRANSIT', bgpNeighbor: '192.0.2.1', drain: { method: 'graceful-shutdown', leadMinutes: 0, graceMinutes: 0, confirmMinutes: 1, dryRun: false } },
          },
        ],
        redundancyGroups: [],
        authentication: { authenticated: true, actionable: true, reason: 'dkim pass for zayo.com' },
      },
    };
    const job = async (): Promise<DrainJob | undefined> => (await store.repos.drains.forMaintenance('zayo', 'KILL-1'))[0];
    const rolledBack = new Promise<void>((resolve) => sim.events.once('rollback', () => resolve()));
    await bus.publish(SUBJECTS.maintenanceEvent('new'), e, { msgId: e.eventId });
    await until(async () => (await job())?.state === 'confirming', 60_000, 'committed confirmed');
    const group = (await job())?.groupName;
    expect(sim.state.running).toContain(`set apply-groups ${group}`);

    first.child.kill('SIGKILL');
    await first.stop();
    await rolledBack;
    expect(sim.state.running).toEqual(BASELINE);
    // The session died with the gateway: the candidate lock went with it.
    await until(() => sim.sessions() === 0, 15_000, 'session gone');
    expect(sim.state.lockedBy).toBeUndefined();

    const next = await startApp('junos-gateway', { ...env, DRAIN_SETTLE_SECONDS: '0' });
    procs.push(next);
    // After the gateway's confirm deadline (1 minute from the commit) the job is read back from the device.
    await until(async () => (await job())?.state === 'rolled-back', 150_000, 'recorded as rolled back');
    const j = (await job()) as DrainJob;
    expect(j.detail).toBe('interrupted before confirm: the device rolled the drain back');
    expect((await store.repos.drains.steps(j.id)).map((s) => s.step)).toEqual(['planned', 'committed-confirmed', 'rolled-back']);
    expect(sim.state.running).toEqual(BASELINE);
    expect(sim.state.commits.map((c) => c.confirmedMinutes ?? 'confirm')).toEqual([1]);
  });
});
