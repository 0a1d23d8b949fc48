import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInRegistry, parseMail } from '../index';

const fixture = readFileSync(join(__dirname, '..', '..', 'fixtures', 'momentum', 'emergency.eml'), 'utf8');
const registry = builtInRegistry();
const utc = (y: number, mo: number, d: number, h: number, mi: number) => Date.UTC(y, mo - 1, d, h, mi) / 1000;

async function parse(mail: string) {
  const outcome = await parseMail(mail, { registry, providerHint: 'momentum' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

describe('momentum', () => {
  it('variation: a new case number, circuits and times follow', async () => {
    const [m] = await parse(
      fixture
        .replaceAll('22446688', '13579111')
        .replaceAll('MDS-410233, MDS-410234', 'MDS-900001')
        .replaceAll('2025-02-21 05:00 AM UTC', '2025-12-01 11:15 PM UTC')
        .replaceAll('2025-02-21 07:30 AM UTC', '2025-12-02 01:45 AM UTC'),
    );
    expect(m.maintenance_id).toBe('13579111');
    expect(m.circuits).toEqual([{ circuit_id: 'MDS-900001', impact: 'OUTAGE' }]);
    expect([m.start, m.end]).toEqual([utc(2025, 12, 1, 23, 15), utc(2025, 12, 2, 1, 45)]);
    expect(m.account).toBe('Bluefin Data Inc');
  });

  it('reads a cancelled case from the subject', async () => {
    const [m] = await parse(fixture.replace('| Emergency Network Maintenance ,', '| Cancelled Network Maintenance ,'));
    expect(m.status).toBe('CANCELLED');
  });
});
