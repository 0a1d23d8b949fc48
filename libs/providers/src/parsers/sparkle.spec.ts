import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Maintenance } from '@maintwatch/contracts';
import { builtInRegistry, parseMail } from '../index';

const fixture = readFileSync(join(__dirname, '..', '..', 'fixtures', 'sparkle', 'two-tickets.eml'), 'utf8');
const utc = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) / 1000;

async function parse(mail: string): Promise<Maintenance[]> {
  const outcome = await parseMail(mail, { registry: builtInRegistry(), providerHint: 'sparkle' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

describe('sparkle parser', () => {
  it('variation: one maintenance per ticket, each with its own window', async () => {
    const mail = fixture
      .replaceAll('2840117', '3001001')
      .replaceAll('2840118', '3001002')
      .replaceAll('CFX-MIA-SJU-0042', 'CFX-BOG-PTY-0100')
      .replaceAll('CFX-MIA-SJU-0043', 'CFX-BOG-PTY-0101')
      .replaceAll('04/16/2024 04:00', '10/21/2024 05:30')
      .replaceAll('04/16/2024 09:00', '10/21/2024 10:00')
      .replaceAll('04/17/2024 04:00', '10/22/2024 06:00')
      .replaceAll('04/17/2024 09:00', '10/22/2024 11:15');
    const maintenances = await parse(mail);
    expect(maintenances.map((m) => [m.maintenance_id, m.start, m.end])).toEqual([
      ['3001001', utc(2024, 10, 21, 5, 30), utc(2024, 10, 21, 10)],
      ['3001002', utc(2024, 10, 22, 6), utc(2024, 10, 22, 11, 15)],
    ]);
    for (const m of maintenances) {
      expect(m.circuits.map((c) => c.circuit_id)).toEqual(['CFX-BOG-PTY-0100', 'CFX-BOG-PTY-0101']);
    }
  });

  it('gives one ticket over several days its whole span', async () => {
    const [m, ...rest] = await parse(fixture.replaceAll('2840117=C2=A0/ 2840118', '2840117'));
    expect(rest).toEqual([]);
    expect(m.maintenance_id).toBe('2840117');
    expect(m.start).toBe(utc(2024, 4, 16, 4));
    expect(m.end).toBe(utc(2024, 4, 17, 9));
  });
});
