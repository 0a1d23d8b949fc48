import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { KV_BUCKETS, OBJECT_STORES, STREAMS, type StreamKey } from '@maintwatch/contracts';
import { testNamespace, waitForJetStream } from '@maintwatch/testing';
import { Bus } from './bus';

// A real 3-node JetStream cluster on loopback (what k8s/nats runs), to see that every stream,
// KV bucket and object store gets the replicas asked for, and that raising them works in place.

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

interface Cluster {
  urls: string[];
  stop(): Promise<void>;
}

async function startCluster(size: number): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'nats-cluster-'));
  const clientPorts: number[] = [];
  const routePorts: number[] = [];
  for (let i = 0; i < size; i++) {
    clientPorts.push(await freePort());
    routePorts.push(await freePort());
  }
  const procs: ChildProcess[] = [];
  for (let i = 0; i < size; i++) {
    const conf = join(dir, `n${i}.conf`);
    writeFileSync(
      conf,
      [
        `server_name: n${i}`,
        `listen: 127.0.0.1:${clientPorts[i]}`,
        `jetstream { store_dir: "${join(dir, `js${i}`)}" }`,
        `cluster {`,
        `  name: test`,
        `  listen: 127.0.0.1:${routePorts[i]}`,
        `  routes: [${routePorts.map((p) => `nats-route://127.0.0.1:${p}`).join(', ')}]`,
        `}`,
      ].join('\n'),
    );
    procs.push(spawn('nats-server', ['-c', conf], { stdio: 'ignore' }));
  }
  const urls = clientPorts.map((p) => `nats://127.0.0.1:${p}`);
  const stop = async () => {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null) return resolve();
            p.once('exit', () => resolve());
            p.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(urls.map((u) => waitForJetStream(u, 30_000)));
    // JetStream answers account info before the meta group has a leader; wait for one.
    await waitForMetaLeader(urls[0]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { urls, stop };
}

async function waitForMetaLeader(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const bus = await Bus.connect({ servers: url, name: 'probe', namespace: testNamespace() });
    try {
      const jsm = await bus.jsm();
      await jsm.streams.add({ name: `probe${Date.now()}`, subjects: [`probe.${Date.now()}`], num_replicas: 3 });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await bus.close();
    }
  }
}

// By name, not by listing: a clustered stream whose replicas are being raised may be missing
// from a listing while its group elects a leader.
async function replicasByStream(bus: Bus): Promise<Record<string, number>> {
  const jsm = await jetstreamManager(bus.nc);
  const names = [
    ...(Object.keys(STREAMS) as StreamKey[]).map((k) => bus.ns.stream(k)),
    ...Object.values(KV_BUCKETS).map((b) => `KV_${bus.ns.bucket(b)}`),
    ...Object.values(OBJECT_STORES).map((o) => `OBJ_${bus.ns.objectStore(o)}`),
  ];
  const out: Record<string, number> = {};
  for (const name of names) {
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        out[name] = (await jsm.streams.info(name)).config.num_replicas;
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
  return out;
}

describe('Bus.provision - replicas (real 3-node JetStream cluster)', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster(3);
  }, 90_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('provision - every stream, KV bucket and object store has the replicas asked for, raised in place from 1 to 3', async () => {
    const namespace = testNamespace();
    let before: Record<string, number> = {};
    const one = await Bus.connect({ servers: cluster.urls, name: 'replicas-spec', namespace });
    try {
      await one.provision();
      before = await replicasByStream(one);
      // 4 streams, the KV buckets and the object store
      expect(Object.keys(before).length).toBeGreaterThanOrEqual(6);
      expect(new Set(Object.values(before))).toEqual(new Set([1]));
    } finally {
      await one.close();
    }

    const three = await Bus.connect({ servers: cluster.urls, name: 'replicas-spec', namespace, replicas: 3 });
    try {
      await three.provision();
      const after = await replicasByStream(three);
      expect(Object.entries(after).filter(([, r]) => r !== 3)).toEqual([]);
      // Idempotent at 3: a second provision changes nothing and does not fail.
      await three.provision();
      expect(await replicasByStream(three)).toEqual(after);
    } finally {
      await three.close();
    }
  }, 90_000);
});
