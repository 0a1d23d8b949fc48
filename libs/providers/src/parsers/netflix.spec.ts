import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInRegistry, parseMail } from '../index';

const fixture = readFileSync(join(__dirname, '..', '..', 'fixtures', 'netflix', 'scheduled.eml'), 'utf8');
const registry = builtInRegistry();
const utc = (y: number, mo: number, d: number, h: number, mi: number) => Date.UTC(y, mo - 1, d, h, mi) / 1000;

async function parse(mail: string) {
  const outcome = await parseMail(mail, { registry, providerHint: 'netflix' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

describe('netflix', () => {
  it('variation: new addresses, peer and time give a new derived id and window', async () => {
    const [m] = await parse(
      fixture
        .replaceAll('198.51.100.17', '203.0.113.9')
        .replaceAll('2001:db8:2906::17', '2001:db8:ffff::9')
        .replaceAll('AS64512', 'AS64999')
        .replaceAll('2025-06-10 02:00:00+00:00', '2025-08-01 22:30:00+00:00')
        .replace('approximately 90 minutes', 'approximately 2 hours'),
    );
    const start = utc(2025, 8, 1, 22, 30);
    const end = start + 2 * 3600;
    expect([m.start, m.end]).toEqual([start, end]);
    expect(m.account).toBe('AS64999');
    expect(m.circuits.map((c) => c.circuit_id)).toEqual(['203.0.113.9', '2001:db8:ffff::9']);
    // The id hashes the address lines as written (indented), then start and end.
    const id = createHash('sha256').update(`    203.0.113.9/    2001:db8:ffff::9/${start}/${end}`).digest('hex');
    expect(m.maintenance_id).toBe(id);
  });

  it('reads a start written with an offset', async () => {
    const [m] = await parse(fixture.replaceAll('2025-06-10 02:00:00+00:00', '2025-06-10 04:00:00+02:00'));
    expect(m.start).toBe(utc(2025, 6, 10, 2, 0));
  });
});
