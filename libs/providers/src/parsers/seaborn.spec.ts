import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Maintenance } from '@maintwatch/contracts';
import { builtInRegistry, parseMail } from '../index';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'seaborn');
const planned = readFileSync(join(fixtures, 'planned-works.eml'), 'utf8');
const ticket = readFileSync(join(fixtures, 'rescheduled-ticket.eml'), 'utf8');
const utc = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) / 1000;

async function parse(mail: string): Promise<Maintenance[]> {
  const outcome = await parseMail(mail, { registry: builtInRegistry(), providerHint: 'seaborn' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

describe('seaborn parser', () => {
  it('variation (planned works): follows the account, ticket, circuit and schedule', async () => {
    const mail = planned
      .replaceAll('[Globex Direct] 8842 5/19', '[Initech Transit] 9120 10/2')
      .replaceAll('SBN-NYC-FOR-100G-0042-01', 'SBN-MIA-RIO-10G-0007-02')
      .replaceAll('19-May-2026 03:00 - 19-May-2026 09:00', '02-Oct-2026 22:00 - 03-Oct-2026 04:30');
    const [m, ...rest] = await parse(mail);
    expect(rest).toEqual([]);
    expect(m.account).toBe('Initech Transit');
    expect(m.maintenance_id).toBe('9120');
    expect(m.circuits).toEqual([{ circuit_id: 'SBN-MIA-RIO-10G-0007-02', impact: 'OUTAGE' }]);
    expect(m.start).toBe(utc(2026, 10, 2, 22));
    expect(m.end).toBe(utc(2026, 10, 3, 4, 30));
    expect(m.status).toBe('CONFIRMED');
  });

  it('variation (ticket notice): follows the account, ticket, circuit and dates', async () => {
    const mail = ticket
      .replaceAll('40817', '55120')
      .replaceAll('8843', '9307')
      .replaceAll('SBN-NYC-FOR-100G-0042-01', 'SBN-MIA-RIO-10G-0007-02')
      .replaceAll('5/27/2026 1:00:00 am GMT', '11/3/2026 11:00:00 pm GMT')
      .replaceAll('5/27/2026 7:30:00 am GMT', '11/4/2026 5:00:00 am GMT');
    const [m] = await parse(mail);
    expect(m.account).toBe('55120');
    expect(m.maintenance_id).toBe('9307');
    expect(m.circuits).toEqual([{ circuit_id: 'SBN-MIA-RIO-10G-0007-02', impact: 'OUTAGE' }]);
    // Month first: 11/3 is the 3rd of November.
    expect(m.start).toBe(utc(2026, 11, 3, 23));
    expect(m.end).toBe(utc(2026, 11, 4, 5));
    expect(m.status).toBe('RE-SCHEDULED');
  });

  it('prefers the body ticket over the subject TT# and strips stray characters from circuit ids', async () => {
    const mail = ticket.replace('TT#8843', 'TT#7001').replace('Circuit impacted:&nbsp;', 'Circuit impacted:\u00a0\ufffd');
    const [m] = await parse(mail);
    expect(m.maintenance_id).toBe('8843');
    expect(m.circuits[0].circuit_id).toBe('SBN-NYC-FOR-100G-0042-01');
  });

  it('reads a newly scheduled ticket notice as confirmed', async () => {
    const [m] = await parse(ticket.replace('has been rescheduled', 'has been scheduled'));
    expect(m.status).toBe('CONFIRMED');
  });
});
