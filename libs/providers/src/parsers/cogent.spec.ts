import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Maintenance } from '@maintwatch/contracts';
import { builtInRegistry, parseMail } from '../index';
import { cityZone } from './cogent';

const dir = join(__dirname, '..', '..', 'fixtures', 'cogent');
const html = readFileSync(join(dir, 'planned-html.eml'), 'utf8');
const text = readFileSync(join(dir, 'provider-text.eml'), 'utf8');
const utc = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) / 1000;

async function parse(mail: string): Promise<Maintenance[]> {
  const outcome = await parseMail(mail, { registry: builtInRegistry(), providerHint: 'cogent' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

describe('cogent parser', () => {
  it('variation (HTML): follows the work order, order IDs, dates and the city time zone', async () => {
    const mail = html
      .replaceAll('VN20418-1', 'VN31177-2')
      .replaceAll('1-300455667, 1-300455668', '1-400000001')
      .replaceAll('11:00 PM (local time) 03/23/2024', '10:30 PM (local time) 07/18/2024')
      .replaceAll('03:00 AM (local time) 03/24/2024', '04:00 AM (local time) 07/19/2024')
      .replaceAll('Denver, CO', 'Seattle, WA');
    const [m] = await parse(mail);
    expect(m.maintenance_id).toBe('VN31177-2');
    expect(m.circuits).toEqual([{ circuit_id: '1-400000001', impact: 'OUTAGE' }]);
    // Seattle in July is PDT (UTC-7).
    expect(m.start).toBe(utc(2024, 7, 19, 5, 30));
    expect(m.end).toBe(utc(2024, 7, 19, 11));
    expect(m.status).toBe('CONFIRMED');
  });

  it('dates are month/day/year, as Cogent writes them: 06/12/2024 is 12 June, also where it could be read day-first', async () => {
    const mail = html
      .replaceAll('11:00 PM (local time) 03/23/2024', '12:00 AM (local time) 06/12/2024')
      .replaceAll('03:00 AM (local time) 03/24/2024', '06:00 AM (local time) 06/12/2024');
    const [m] = await parse(mail);
    // Denver in June is MDT (UTC-6).
    expect(m.start).toBe(utc(2024, 6, 12, 6));
    expect(m.end).toBe(utc(2024, 6, 12, 12));
  });

  it('a date whose first field cannot be a month is read day-first, not refused', async () => {
    const mail = html
      .replaceAll('11:00 PM (local time) 03/23/2024', '11:00 PM (local time) 23/03/2024')
      .replaceAll('03:00 AM (local time) 03/24/2024', '03:00 AM (local time) 24/03/2024');
    const [m] = await parse(mail);
    // Denver on 23 March 2024 is MDT (UTC-6): 23:00 local is 05:00 UTC the next day.
    expect(m.start).toBe(utc(2024, 3, 24, 5));
    expect(m.end).toBe(utc(2024, 3, 24, 9));
  });

  it('variation (text): follows the explicit zone of the times', async () => {
    const mail = text
      .replaceAll('VN17702', 'VN18800')
      .replaceAll('1-300778899', '1-300112233')
      .replaceAll('10:00pm CT 11/16/2024', '9:00pm ET 01/14/2025')
      .replaceAll('5:00am CT 11/17/2024', '2:00am ET 01/15/2025');
    const [m] = await parse(mail);
    expect(m.maintenance_id).toBe('VN18800');
    expect(m.account).toBe('Blue Harbor Hosting');
    expect(m.circuits).toEqual([{ circuit_id: '1-300112233', impact: 'OUTAGE' }]);
    expect(m.start).toBe(utc(2025, 1, 15, 2));
    expect(m.end).toBe(utc(2025, 1, 15, 7));
  });

  it.each([
    ['Correction 03/23/2024 VN20418-1 Planned Network Maintenance - Denver, CO 1-300455667', 'RE-SCHEDULED'],
    ['Cancellation 03/23/2024 VN20418-1 Planned Network Maintenance - Denver, CO 1-300455667', 'CANCELLED'],
  ])('reads the status from the title "%s"', async (title, status) => {
    const mail = html.replace(/<title>[^<]*<\/title>/, `<title>${title}</title>`);
    const [m] = await parse(mail);
    expect(m.status).toBe(status);
  });

  it('maps a city to its zone offline, and a town to its state', () => {
    expect(cityZone('San Jose', 'CA')).toBe('America/Los_Angeles');
    expect(cityZone('San Jose', 'Costa Rica')).toBe('America/Costa_Rica');
    expect(cityZone('Edina', 'MN')).toBe('America/Chicago');
    expect(cityZone('Nowhere', 'XX')).toBeUndefined();
  });
});
