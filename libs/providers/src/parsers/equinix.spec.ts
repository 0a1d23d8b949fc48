import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Maintenance } from '@maintwatch/contracts';
import { builtInRegistry, parseMail } from '../index';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'equinix');
const scheduled = readFileSync(join(fixtures, 'scheduled-metro-connect.eml'), 'utf8');
const yearEnd = readFileSync(join(fixtures, 'completed-year-end.eml'), 'utf8');
const utc = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) / 1000;

async function parse(mail: string): Promise<Maintenance[]> {
  const outcome = await parseMail(mail, { registry: builtInRegistry(), providerHint: 'equinix' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

describe('equinix parser', () => {
  it('variation: follows the ticket, account, circuits and window', async () => {
    const mail = scheduled
      .replaceAll('5-318842207716', '5-400011122233')
      .replaceAll('401122', '733001')
      .replaceAll('20417733-A', '31000001-A')
      .replaceAll('20417734-B', '31000002-B')
      .replaceAll('17-MAR-2026 - 18-MAR-2026', '08-SEP-2026 - 09-SEP-2026')
      .replaceAll('-17-MAR-2026 [', '-08-SEP-2026 [')
      .replaceAll('TUESDAY, 17 MAR 22:00 - WEDNESDAY, 18 MAR 04:00', 'TUESDAY, 08 SEP 21:30 - WEDNESDAY, 09 SEP 03:45');
    const [m, ...rest] = await parse(mail);
    expect(rest).toEqual([]);
    expect(m.maintenance_id).toBe('5-400011122233');
    expect(m.account).toBe('733001');
    expect(m.circuits.map((c) => c.circuit_id)).toEqual(['31000001-A', '31000002-B']);
    expect(m.start).toBe(utc(2026, 9, 8, 21, 30));
    expect(m.end).toBe(utc(2026, 9, 9, 3, 45));
    expect(m.summary).toContain('-08-SEP-2026 [5-400011122233]');
  });

  it('gives the UTC window the years of the SPAN dates, also across new year', async () => {
    const [m] = await parse(yearEnd);
    expect(m.start).toBe(utc(2025, 12, 31, 23));
    expect(m.end).toBe(utc(2026, 1, 1, 3));
  });

  it.each([
    ['No impact to your service', 'NO-IMPACT'],
    ['Loss of redundancy to your service', 'REDUCED-REDUNDANCY'],
    ['Traffic will be re-routed', 'REDUCED-REDUNDANCY'],
    ['There will be service interruptions', 'OUTAGE'],
  ])('maps the impact "%s"', async (text, impact) => {
    const [m] = await parse(scheduled.replaceAll('Loss of redundancy to your service', text));
    expect(new Set(m.circuits.map((c) => c.impact))).toEqual(new Set([impact]));
  });

  it.each([
    ['Scheduled Fiber Maintenance', 'CONFIRMED'],
    ['REMINDER - Scheduled Fiber Maintenance', 'CONFIRMED'],
    ['COMPLETED - Scheduled Fiber Maintenance', 'COMPLETED'],
    ['CANCELLED - Scheduled Fiber Maintenance', 'CANCELLED'],
    ['RESCHEDULED - Fiber Maintenance', 'RE-SCHEDULED'],
  ])('reads the status from the subject "%s"', async (prefix, status) => {
    const [m] = await parse(scheduled.replace('Subject: Scheduled Fiber Maintenance', `Subject: ${prefix}`));
    expect(m.status).toBe(status);
  });

  it('reads a ticket id written after a dash instead of in brackets', async () => {
    const [m] = await parse(scheduled.replace('-17-MAR-2026 [5-318842207716]', '- 17-MAR-2026 - CHG0455120'));
    expect(m.maintenance_id).toBe('CHG0455120');
  });

  it('ignores Equinix mail that is no network maintenance notice', async () => {
    const mail = scheduled.replace(/^Subject: .*$/m, 'Subject: Your Equinix Customer Portal order 1-88231 is complete');
    const outcome = await parseMail(mail, { registry: builtInRegistry(), providerHint: 'equinix' });
    expect(outcome.kind).toBe('ignored');
  });
});
