import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Maintenance } from '@maintwatch/contracts';
import { builtInRegistry, parseMail } from '../index';

const fixture = readFileSync(join(__dirname, '..', '..', 'fixtures', 'aquacomms', 'planned-outage.eml'), 'utf8');
const utc = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) / 1000;

async function parse(mail: string): Promise<Maintenance[]> {
  const outcome = await parseMail(mail, { registry: builtInRegistry(), providerHint: 'aquacomms' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

describe('aquacomms parser', () => {
  it('variation: follows the ticket, project, service and window', async () => {
    const mail = fixture
      .replaceAll('48213', '51907')
      .replaceAll('PROJ=512', 'PROJ=733')
      .replaceAll('AEC1-DUB-NYC-10G-0044', 'AEC1-SHA-NYC-100G-0101')
      .replaceAll('23:00 05/05/2026 GMT', '21:30 09/11/2026 GMT')
      .replaceAll('05:00 06/05/2026 GMT', '03:15 10/11/2026 GMT');
    const [m, ...rest] = await parse(mail);
    expect(rest).toEqual([]);
    expect(m.maintenance_id).toBe('51907');
    expect(m.account).toBe('733');
    expect(m.circuits).toEqual([{ circuit_id: 'AEC1-SHA-NYC-100G-0101', impact: 'OUTAGE' }]);
    // Time first, then the day-first date.
    expect(m.start).toBe(utc(2026, 11, 9, 21, 30));
    expect(m.end).toBe(utc(2026, 11, 10, 3, 15));
  });

  it('takes the update line as the summary', async () => {
    const [m] = await parse(fixture.replace('Cable repair ship mobilised, splicing planned for the window above.', 'There are no new updates.'));
    expect(m.summary).toBe('There are no new updates.');
  });
});
