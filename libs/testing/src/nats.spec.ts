import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { NatsServerHandle, NotOwnedServiceError, ownNats, sharedNatsUrl, startNats, testNamespace } from './index';

async function publishTo(url: string, stream: string, subject: string, bodies: string[]): Promise<void> {
  const nc = await connect({ servers: url, reconnect: false });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`${subject}.>`] });
    const js = jetstream(nc);
    for (const body of bodies) await js.publish(`${subject}.x`, body);
  } finally {
    await nc.close();
  }
}

async function storedBodies(url: string, stream: string): Promise<string[]> {
  const nc = await connect({ servers: url, reconnect: false });
  try {
    const jsm = await jetstreamManager(nc);
    const { state } = await jsm.streams.info(stream);
    const bodies: string[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      bodies.push((await jsm.streams.getMessage(stream, { seq }))?.string() ?? '<missing>');
    }
    return bodies;
  } finally {
    await nc.close();
  }
}

async function deleteStream(url: string, stream: string): Promise<void> {
  const nc = await connect({ servers: url, reconnect: false });
  try {
    await (await jetstreamManager(nc)).streams.delete(stream);
  } finally {
    await nc.close();
  }
}

describe('nats (shared)', () => {
  // The shared server may outlive this run (NATS_URL): leave no stream behind on it.
  const streams: string[] = [];
  afterAll(async () => {
    await Promise.all(streams.map((stream) => deleteStream(sharedNatsUrl(), stream)));
  });

  it('nats - shared server accepts a JetStream publish', async () => {
    const ns = testNamespace();
    streams.push(ns.toUpperCase());
    await publishTo(sharedNatsUrl(), ns.toUpperCase(), ns, ['hello']);
    expect(await storedBodies(sharedNatsUrl(), ns.toUpperCase())).toEqual(['hello']);
  });

  it('nats - startNats adopts NATS_URL and refuses fault operations on it', async () => {
    const nats = await startNats();
    expect(nats.source).toBe('env');
    expect(nats.url).toBe(sharedNatsUrl());
    await expect(nats.restart()).rejects.toBeInstanceOf(NotOwnedServiceError);
    await expect(nats.kill()).rejects.toBeInstanceOf(NotOwnedServiceError);
    await nats.stop();
    const ns = testNamespace();
    streams.push(ns.toUpperCase());
    await publishTo(sharedNatsUrl(), ns.toUpperCase(), ns, ['still up']);
  });
});

describe('nats (own server)', () => {
  let nats: NatsServerHandle;

  beforeAll(async () => {
    nats = await ownNats();
  });

  afterAll(async () => {
    await nats?.stop();
  });

  it('nats - own server is private, never the shared one', () => {
    expect(nats.source).not.toBe('env');
    expect(nats.url).not.toBe(sharedNatsUrl());
    expect(nats.url).toBe(`nats://${nats.host}:${nats.port}`);
  });

  it('nats - restart keeps the stream', async () => {
    const ns = testNamespace();
    await publishTo(nats.url, 'KEEP', ns, ['one', 'two', 'three']);
    const url = nats.url;
    await nats.restart();
    expect(nats.url).toBe(url);
    expect(await storedBodies(nats.url, 'KEEP')).toEqual(['one', 'two', 'three']);
  });

  it('nats - restart with downMs keeps the server unreachable meanwhile', async () => {
    const began = Date.now();
    const restarted = nats.restart({ downMs: 1000 });
    let refused = false;
    while (!refused && Date.now() - began < 900) {
      refused = await connect({ servers: nats.url, reconnect: false, timeout: 200 }).then(
        (nc) => nc.close().then(() => false),
        () => true,
      );
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(refused).toBe(true);
    await restarted;
    expect(Date.now() - began).toBeGreaterThanOrEqual(1000);
    const nc = await connect({ servers: nats.url, reconnect: false });
    await nc.close();
  });

  it('nats - kill drops clients and restart brings the server back', async () => {
    const nc = await connect({ servers: nats.url, reconnect: false });
    const closed = nc.closed();
    await nats.kill();
    await closed;
    expect(nc.isClosed()).toBe(true);
    await expect(connect({ servers: nats.url, reconnect: false, timeout: 300 })).rejects.toThrow();
    await nats.restart();
    const ns = testNamespace();
    await publishTo(nats.url, 'AFTERKILL', ns, ['back']);
    expect(await storedBodies(nats.url, 'AFTERKILL')).toEqual(['back']);
  });

  it('nats - stop makes the server unreachable', async () => {
    const own = await ownNats();
    await own.stop();
    await expect(connect({ servers: own.url, reconnect: false, timeout: 300 })).rejects.toThrow();
    await expect(own.restart()).rejects.toThrow(/after stop/);
  });
});
