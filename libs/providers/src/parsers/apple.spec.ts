import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Maintenance } from '@maintwatch/contracts';
import { builtInRegistry, parseMail } from '../index';

const fixture = readFileSync(join(__dirname, '..', '..', 'fixtures', 'apple', 'eu-maintenance.eml'), 'utf8');
const utc = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) / 1000;

async function parse(mail: string): Promise<Maintenance[]> {
  const outcome = await parseMail(mail, { registry: builtInRegistry(), providerHint: 'apple' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

describe('apple parser', () => {
  it('variation: follows the ticket, peer AS and window', async () => {
    const mail = fixture
      .replaceAll('CHG000884411', 'CHG000912002')
      .replaceAll('64512', '65010')
      .replaceAll('2026-04-21(Tue) 01:00 UTC', '2026-07-07(Tue) 22:30 UTC')
      .replaceAll('2026-04-21(Tue) 05:00 UTC', '2026-07-08(Wed) 02:00 UTC');
    const [m, ...rest] = await parse(mail);
    expect(rest).toEqual([]);
    expect(m.maintenance_id).toBe('CHG000912002');
    expect(m.circuits).toEqual([{ circuit_id: 'AS65010', impact: 'OUTAGE' }]);
    expect(m.start).toBe(utc(2026, 7, 7, 22, 30));
    expect(m.end).toBe(utc(2026, 7, 8, 2));
    // Apple's notices carry no issue time: stamped with the window start, as the reference does.
    expect(m.stamp).toBe(m.start);
    expect(m.summary).toBe('Apple (AS714) Net Maintenance Notice for AS65010 in Frankfurt');
  });

  it('reads the US date layout', async () => {
    const mail = fixture
      .replace('2026-04-21(Tue) 01:00 UTC', '21 Apr 2026 01:00 UTC')
      .replace('2026-04-21(Tue) 05:00 UTC', 'Tue, 21 Apr 2026 05:00:00 GMT');
    const [m] = await parse(mail);
    expect(m.start).toBe(utc(2026, 4, 21, 1));
    expect(m.end).toBe(utc(2026, 4, 21, 5));
  });

  it.each([
    ['21 Apr 2026 01:00UTC', utc(2026, 4, 21, 1)],
    ['21 Apr 2026 03:00 +0200', utc(2026, 4, 21, 1)],
    ['21 Apr 2026 03:00+02:00', utc(2026, 4, 21, 1)],
    ['21 Apr 2026 01:00', utc(2026, 4, 21, 1)],
    ['Tue, 21 Apr 2026 03:00 CEST', utc(2026, 4, 21, 1)],
  ])('reads the zone of "%s" from its last word, also glued to the time', async (written, start) => {
    const [m] = await parse(fixture.replace('2026-04-21(Tue) 01:00 UTC', written));
    expect(m.start).toBe(start);
  });

  it('refuses a start time followed by a long run of blanks quickly', async () => {
    const t0 = Date.now();
    const outcome = await parseMail(fixture.replace('2026-04-21(Tue) 01:00 UTC', `21 Apr 2026 01:00${' '.repeat(100_000)}x!`), {
      registry: builtInRegistry(),
      providerHint: 'apple',
    });
    expect(outcome.kind).toBe('unparsed');
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
