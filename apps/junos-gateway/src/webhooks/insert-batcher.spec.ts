import type { DeviceEvent } from '@maintwatch/contracts';
import type { DeviceEventInput } from '@maintwatch/persistence';
import { InsertBatcher } from './insert-batcher';

const input = (eventId: string): DeviceEventInput => ({
  event: { eventId, device: 'd', kind: 'syslog', severity: 'info', junosEvent: 'X', priority: 3, occurredAt: 1, receivedAt: 1, message: '', attributes: {} } satisfies DeviceEvent,
  eventKey: eventId,
  source: '127.0.0.1',
});

describe(InsertBatcher.name, () => {
  it('writes an event alone at once, and those arriving meanwhile together in the next batch', async () => {
    const batches: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stored = new Set<string>();
    const sut = new InsertBatcher(async (events) => {
      batches.push(events.map((e) => e.event.eventId));
      if (batches.length === 1) await gate;
      const fresh = events.map((e) => e.event.eventId).filter((id) => !stored.has(id));
      fresh.forEach((id) => stored.add(id));
      return [...new Set(fresh)];
    }, 1);
    const first = sut.store(input('a'));
    const rest = [sut.store(input('b')), sut.store(input('c')), sut.store(input('c')), sut.store(input('a'))];
    release();
    expect(await first).toBe(true);
    // 'c' twice in one batch: only the first is new; 'a' was stored by the first batch.
    expect(await Promise.all(rest)).toEqual([true, true, false, false]);
    expect(batches).toEqual([['a'], ['b', 'c', 'c', 'a']]);
  });

  it('fails every event of a batch that could not be written', async () => {
    const sut = new InsertBatcher(() => Promise.reject(new Error('PostgreSQL away')));
    await expect(sut.store(input('a'))).rejects.toThrow('PostgreSQL away');
  });
});
