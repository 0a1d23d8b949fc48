import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Maintenance } from '@maintwatch/contracts';
import { builtInRegistry, parseMail } from '../index';

const fixture = readFileSync(join(__dirname, '..', '..', 'fixtures', 'verizon', 'rescheduled.eml'), 'utf8');
const utc = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) / 1000;
const GMT_ROW = /<tr><td><p><u>Maintenance Date\/Time<\/u> \(GMT\):.*\n/;

async function parse(mail: string): Promise<Maintenance[]> {
  const outcome = await parseMail(mail, { registry: builtInRegistry(), providerHint: 'verizon' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

describe('verizon parser', () => {
  it('variation: follows the request number, circuits and window', async () => {
    const mail = fixture
      .replaceAll('556677123-1', '600100200-2')
      .replaceAll('V70012345', 'V88000001')
      .replaceAll('V70012991', 'E88000002')
      .replaceAll('May 22 2024 00:00 GMT - May 22 2024 05:00 GMT', 'Jun 3 2024 21:30 GMT - Jun 4 2024 01:45 GMT')
      .replaceAll('Dear Northwind Traders,', 'Dear Fabrikam Logistics,');
    const [m] = await parse(mail);
    expect(m.maintenance_id).toBe('600100200-2');
    expect(m.account).toBe('Fabrikam Logistics');
    expect(m.circuits.map((c) => c.circuit_id)).toEqual(['V88000001', 'E88000002']);
    expect(m.start).toBe(utc(2024, 6, 3, 21, 30));
    expect(m.end).toBe(utc(2024, 6, 4, 1, 45));
  });

  it('falls back to the local window and its zone without a GMT row', async () => {
    const [m] = await parse(fixture.replace(GMT_ROW, ''));
    expect(m.start).toBe(utc(2024, 5, 22, 0));
    expect(m.end).toBe(utc(2024, 5, 22, 5));
  });

  it('reads a not-completed notice as cancelled', async () => {
    const mail = fixture.replace(
      /Attention: This request has been rescheduled[^<]*/,
      'Attention: Due to unforeseen circumstances, this maintenance was not completed, and may be rescheduled for a later date.',
    );
    const [m] = await parse(mail);
    expect(m.status).toBe('CANCELLED');
  });

  it('is confirmed without an Attention row', async () => {
    const [m] = await parse(fixture.replace(/<tr><td colspan="2"><p><strong>Attention:.*\n/, ''));
    expect(m.status).toBe('CONFIRMED');
  });
});
