import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Maintenance } from '@maintwatch/contracts';
import { builtInRegistry, parseMail } from '../index';

const fixture = readFileSync(join(__dirname, '..', '..', 'fixtures', 'megaport', 'announcement.eml'), 'utf8');
const utc = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) / 1000;

async function parse(mail: string): Promise<Maintenance[]> {
  const outcome = await parseMail(mail, { registry: builtInRegistry(), providerHint: 'megaport' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

describe('megaport parser', () => {
  it('variation: follows the reference, services and times', async () => {
    const mail = fixture
      .replaceAll('MR-0118342', 'MR-0120001')
      .replaceAll('5c1e2f90', 'aa11bb22')
      .replaceAll('8a77d1c4', 'cc33dd44')
      .replaceAll('Tue, 11 Jun 2024 14:00:00', 'Sat, 21 Sep 2024 22:30:00')
      .replaceAll('Tue, 11 Jun 2024 16:00:00', 'Sun, 22 Sep 2024 01:00:00')
      .replaceAll('Hi Contoso Networks Pty Ltd', 'Hi Litware Cloud Ltd');
    const [m] = await parse(mail);
    expect(m.maintenance_id).toBe('MR-0120001');
    expect(m.account).toBe('Litware Cloud Ltd');
    expect(m.circuits.map((c) => c.circuit_id)).toEqual(['aa11bb22', 'cc33dd44']);
    expect(m.start).toBe(utc(2024, 9, 21, 22, 30));
    expect(m.end).toBe(utc(2024, 9, 22, 1));
  });

  it('reads the reminder layout: purpose inline, start and end in separate paragraphs', async () => {
    const mail = fixture
      .replace('Please be advised that Planned maintenance', 'This is a reminder that Planned maintenance')
      .replace('<p>Purpose of Maintenance:</p>\n        <p>', '<p>Purpose of Maintenance: ')
      .replace(' End Date and Time: ', ' </b></p><p><b>End Date and Time: ');
    const [m] = await parse(mail);
    expect(m.status).toBe('CONFIRMED');
    expect(m.summary.startsWith('Megaport will be replacing a faulty line card')).toBe(true);
    expect(m.start).toBe(utc(2024, 6, 11, 14));
    expect(m.end).toBe(utc(2024, 6, 11, 16));
  });
});
