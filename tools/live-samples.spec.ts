// The live samples npm start writes: each is a notice the parser reads, with its window where
// the sample promises it relative to the start time.
import { builtInRegistry, parseMail } from '@maintwatch/providers';
import { renderLiveSamples } from './live-samples';

const NOW = 1_796_587_117; // 2026-12-06T19:58:37Z

async function parsedOf(mbox: string) {
  const mails = mbox.split(/^From maintwatch-sample .*\n/m).filter((m) => m.trim() !== '');
  const registry = builtInRegistry();
  const out = [];
  for (const mail of mails) {
    const outcome = await parseMail(mail, { registry });
    if (outcome.kind !== 'parsed') throw new Error(`a live sample did not parse: ${JSON.stringify(outcome)}`);
    out.push(...outcome.maintenances);
  }
  return out;
}

describe('live samples', () => {
  it('live samples - in progress, within the hour, next week, a reschedule and a cancellation, relative to now', async () => {
    const batches = renderLiveSamples(NOW);
    const first = await parsedOf(batches[1]);
    const later = await parsedOf(batches[2]);
    const byKey = (list: typeof first, key: string) => list.filter((m) => m.maintenance_id.endsWith(`-${key}`));
    const [inProgress] = byKey(first, 'IN-PROGRESS');
    expect(inProgress.start).toBeLessThan(NOW);
    expect(inProgress.end).toBeGreaterThan(NOW);
    expect(inProgress.end - NOW).toBeLessThanOrEqual(10 * 60);
    const [soon] = byKey(first, 'SOON');
    expect(soon.start - NOW).toBeGreaterThan(0);
    expect(soon.start - NOW).toBeLessThan(3600);
    const [nextWeek] = byKey(first, 'NEXT-WEEK');
    expect(nextWeek.start - NOW).toBe(7 * 24 * 3600);
    const [moved] = byKey(later, 'RESCHEDULED');
    const [original] = byKey(first, 'RESCHEDULED');
    expect(moved.maintenance_id).toBe(original.maintenance_id);
    expect(moved.sequence).toBeGreaterThan(original.sequence);
    expect(moved.start).not.toBe(original.start);
    const [cancelled] = byKey(later, 'CANCELLED');
    expect(cancelled.status).toBe('CANCELLED');
    expect(byKey(first, 'CANCELLED')[0].status).toBe('CONFIRMED');
  });

  it('live samples - another start gives other maintenance ids (nothing collides with an earlier run)', () => {
    const a = renderLiveSamples(NOW);
    const b = renderLiveSamples(NOW + 3600);
    const ids = (t: string) => new Set([...t.matchAll(/^Message-ID: (.*)$/gm)].map((m) => m[1]));
    const shared = [...ids(a[1])].filter((id) => ids(b[1]).has(id));
    expect(shared).toEqual([]);
  });
});
