import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Maintenance } from '@maintwatch/contracts';
import { builtInRegistry, parseMail } from '../index';

const fixture = readFileSync(join(__dirname, '..', '..', 'fixtures', 'bso', 'update-two-timeslots.eml'), 'utf8');
const utc = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) / 1000;

async function parse(mail: string): Promise<Maintenance[]> {
  const outcome = await parseMail(mail, { registry: builtInRegistry(), providerHint: 'bso' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

describe('bso parser', () => {
  it('variation: follows the maintenance id, circuits and timeslots', async () => {
    const mail = fixture
      .replaceAll('78142', '80913')
      .replaceAll('BSO-LON-FRA-0417', 'BSO-PAR-MRS-1200')
      .replaceAll('BSO-LON-AMS-0932', 'BSO-PAR-ZRH-0077')
      .replaceAll('Mar 12, 2024 23:00 UTC', 'Jul 2, 2024 21:30 UTC')
      .replaceAll('Mar 13, 2024 04:00 UTC', 'Jul 3, 2024 01:30 UTC')
      .replaceAll('Mar 13, 2024 23:00 UTC', 'Jul 9, 2024 21:30 UTC')
      .replaceAll('Mar 14, 2024 04:00 UTC', 'Jul 10, 2024 02:15 UTC');
    const [m, ...rest] = await parse(mail);
    expect(rest).toEqual([]);
    expect(m.maintenance_id).toBe('80913');
    expect(m.circuits).toEqual([
      { circuit_id: 'BSO-PAR-MRS-1200', impact: 'OUTAGE' },
      { circuit_id: 'BSO-PAR-ZRH-0077', impact: 'REDUCED-REDUNDANCY' },
    ]);
    // Two timeslots under one Maintenance ID: first start to last end.
    expect(m.start).toBe(utc(2024, 7, 2, 21, 30));
    expect(m.end).toBe(utc(2024, 7, 10, 2, 15));
  });

  it.each([
    ['Maintenance_', 'CONFIRMED'],
    ['Maintenance Reminder_', 'CONFIRMED'],
    ['Maintenance End_', 'COMPLETED'],
    ['Maintenance Canceled_', 'CANCELLED'],
  ])('reads the status from the heading %s', async (heading, status) => {
    const [m] = await parse(fixture.replaceAll('Maintenance Update_', heading));
    expect(m.status).toBe(status);
  });

  it('maps the impact texts', async () => {
    const [m] = await parse(fixture.replaceAll('Switch hit', 'At risk only'));
    expect(m.circuits[1]).toEqual({ circuit_id: 'BSO-LON-AMS-0932', impact: 'NO-IMPACT' });
  });

  it('keeps the primary timeslot as the window and the backup timeslot beside it, never as circuits', async () => {
    const mail = readFileSync(join(__dirname, '..', '..', 'fixtures', 'bso', 'reminder-backup-timeslot.eml'), 'utf8');
    const outcome = await parseMail(mail, { registry: builtInRegistry(), providerHint: 'bso' });
    if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
    const [m] = outcome.maintenances;
    expect(m.circuits.map((c) => c.circuit_id)).toEqual(['BSO-MAD-LIS-0310', 'BSO-MAD-BCN-0415']);
    expect([m.start, m.end]).toEqual([utc(2024, 3, 12, 23), utc(2024, 3, 13, 4)]);
    expect(outcome.alternateWindows).toEqual([[{ start: utc(2024, 3, 19, 23), end: utc(2024, 3, 20, 4), label: 'backup' }]]);
  });
});
