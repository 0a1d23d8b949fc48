import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Maintenance } from '@maintwatch/contracts';
import { builtInRegistry, parseMail } from '../index';

const fixture = readFileSync(join(__dirname, '..', '..', 'fixtures', 'turkcell', 'planned.eml'), 'utf8');
const utc = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) / 1000;

async function parse(mail: string): Promise<Maintenance[]> {
  const outcome = await parseMail(mail, { registry: builtInRegistry(), providerHint: 'turkcell' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

// Times as Turkcell means them (see turkcellEpoch in turkcell.ts): day.month.year, and "GMT+3"
// is UTC+3 (Istanbul), not the POSIX "three hours west" the reference library reads.
describe('turkcell parser', () => {
  it('variation: follows the maintenance number, circuits, customer and times', async () => {
    const mail = fixture
      .replaceAll('20240321000417', '20241105000999')
      .replaceAll('ANK-IST-<wbr>10G-0071', 'IST-BRS-<wbr>10G-0500')
      .replaceAll('ANK-IZM-<wbr>1G-0213', 'IST-ADA-<wbr>1G-0600')
      .replaceAll('ANATOLIA TRANSIT', 'BOSPHORUS DATA')
      .replaceAll('21.03.2024 01:00 GMT+3', '25.11.2024 02:30 GMT+3')
      .replaceAll('21.03.2024 05:00 GMT+3', '25.11.2024 06:00 GMT+3');
    const [m] = await parse(mail);
    expect(m.maintenance_id).toBe('20241105000999');
    expect(m.account).toBe('BOSPHORUS DATA');
    expect(m.circuits.map((c) => c.circuit_id)).toEqual(['IST-BRS-10G-0500', 'IST-ADA-1G-0600']);
    expect(m.start).toBe(utc(2024, 11, 24, 23, 30));
    expect(m.end).toBe(utc(2024, 11, 25, 3));
  });

  it('reads a bare offset east of UTC, and a date that could be month-first day-first', async () => {
    const mail = fixture
      .replaceAll('21.03.2024 01:00 GMT+3', '05.06.2024 01:00 +03:00')
      .replaceAll('21.03.2024 05:00 GMT+3', '05.06.2024 05:00 +03:00');
    const [m] = await parse(mail);
    // 5 June 01:00 at UTC+3.
    expect(m.start).toBe(utc(2024, 6, 4, 22));
    expect(m.end).toBe(utc(2024, 6, 5, 2));
  });

  it('reads "UTC+3" like "GMT+3", and a time without an offset as Istanbul time', async () => {
    const mail = fixture
      .replaceAll('21.03.2024 01:00 GMT+3', '13.01.2025 23:00 UTC+3')
      .replaceAll('21.03.2024 05:00 GMT+3', '14.01.2025 03:00');
    const [m] = await parse(mail);
    expect(m.start).toBe(utc(2025, 1, 13, 20));
    expect(m.end).toBe(utc(2025, 1, 14, 0));
  });

  it('refuses an impossible date with the reason', async () => {
    const mail = fixture.replaceAll('21.03.2024 01:00 GMT+3', '31.02.2024 01:00 GMT+3');
    const outcome = await parseMail(mail, { registry: builtInRegistry(), providerHint: 'turkcell' });
    expect(outcome.kind).toBe('unparsed');
    expect(JSON.stringify(outcome)).toContain('invalid Turkcell time');
  });

  it('takes circuits from interface lines when there is no circuit table', async () => {
    const table = /<table style="width:623\.0pt[\s\S]*?<\/table>/;
    const lines =
      '<p class="MsoNormal">Eth-Trunk12.340          up      up       IST-BRS-10G-0500|01-BOSPHORUS DATA|ISTANBUL|LINK1</p>\n' +
      '<p class="MsoNormal">Eth-Trunk12.341          up      up       IST-BRS-10G-0501|01-BOSPHORUS DATA|ISTANBUL|LINK2</p>';
    const [m] = await parse(fixture.replace(table, lines));
    expect(m.circuits.map((c) => c.circuit_id)).toEqual(['IST-BRS-10G-0500', 'IST-BRS-10G-0501']);
    expect(m.account).toBe('01-BOSPHORUS DATA');
  });
});
