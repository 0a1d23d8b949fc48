// The intake's batcher: items of one key never in two batches at once and applied in the
// order they came; lanes run side by side; each item gets its own result or error.
import { MicroBatcher } from './micro-batcher';

interface Item {
  key: string;
  n: number;
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(MicroBatcher.name, () => {
  it('keeps a key in one lane, in order, while other keys run beside it', async () => {
    const running = new Set<string>();
    const overlaps: string[] = [];
    const applied: Item[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const batcher = new MicroBatcher<Item, number>(
      async (items) => {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        const keys = new Set(items.map((i) => i.key));
        for (const k of keys) if (running.has(k)) overlaps.push(k);
        for (const k of keys) running.add(k);
        await tick(5 + Math.random() * 5);
        for (const k of keys) running.delete(k);
        applied.push(...items);
        concurrent--;
        return items.map((i) => ({ status: 'fulfilled', value: i.n }));
      },
      8,
      3,
      (i) => i.key,
    );
    // Ten keys over three lanes: a round-robin batcher would spread every key over all lanes.
    const keys = Array.from({ length: 10 }, (_, k) => `key-${k}`);
    const submitted: Promise<number>[] = [];
    for (let n = 0; n < 600; n++) {
      submitted.push(batcher.submit({ key: keys[n % keys.length]!, n }));
      if (n % 50 === 0) await tick(1);
    }
    expect(await Promise.all(submitted)).toEqual(Array.from({ length: 600 }, (_, n) => n));
    expect(overlaps).toEqual([]);
    expect(maxConcurrent).toBeGreaterThan(1);
    for (const k of keys) {
      const order = applied.filter((i) => i.key === k).map((i) => i.n);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(order).toHaveLength(60);
    }
  });

  it('settles each item with its own outcome, and a thrown batch rejects all of its items', async () => {
    let calls = 0;
    const batcher = new MicroBatcher<Item, string>(async (items) => {
      if (calls++ === 0) throw new Error('store away');
      return items.map((i) => (i.n % 2 === 0 ? { status: 'fulfilled', value: `ok ${i.n}` } : { status: 'rejected', reason: new Error(`bad ${i.n}`) }));
    }, 4);
    await expect(batcher.submit({ key: 'a', n: 0 })).rejects.toThrow('store away');
    const results = await Promise.allSettled([0, 1, 2, 3].map((n) => batcher.submit({ key: 'a', n })));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['ok 0', 'bad 1', 'ok 2', 'bad 3']);
  });
});
