import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Maintenance } from '@maintwatch/contracts';
import { builtInRegistry, parseMail } from '../index';

const fixture = readFileSync(join(__dirname, '..', '..', 'fixtures', 'att', 'planned-switch-upgrade.eml'), 'utf8');
const utc = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) / 1000;

async function parse(mail: string): Promise<Maintenance[]> {
  const outcome = await parseMail(mail, { registry: builtInRegistry(), providerHint: 'att' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

/** An XLSX written by exceljs with these rows (first row = header). */
async function workbook(rows: (string | number)[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Circuits');
  for (const row of rows) ws.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64').replace(/.{76}/g, '$&\n');
}

/** The fixture with its spreadsheet attachment replaced. */
function withSheet(mail: string, base64: string): string {
  const marker = 'Content-Transfer-Encoding: base64\n\n';
  const start = mail.indexOf(marker, mail.indexOf('spreadsheetml')) + marker.length;
  const end = mail.indexOf('\n--att-mixed-b71c--', start);
  return mail.slice(0, start) + base64 + mail.slice(end);
}

describe('att parser', () => {
  it('variation: follows the event id, window, account and circuits', async () => {
    const sheet = await workbook([
      ['Customer Name', 'Circuit ID', 'Location'],
      ['Umbrella LLC', 'IZEC.100200..ATI', 'Austin, TX'],
      ['Umbrella LLC', 'IZEC.100201..ATI', 'Austin, TX'],
      ['Umbrella LLC', 'IZEC.100202..ATI', 'Round Rock, TX'],
    ]);
    const mail = withSheet(
      fixture
        .replaceAll('4471902', '5002318')
        .replaceAll('April 14, 2026 06:00 GMT', 'October 3, 2026 23:15 GMT')
        .replaceAll('April 14, 2026 10:00 GMT', 'October 4, 2026 02:45 GMT'),
      sheet,
    );
    const [m, ...rest] = await parse(mail);
    expect(rest).toEqual([]);
    expect(m.maintenance_id).toBe('5002318');
    expect(m.account).toBe('Umbrella LLC');
    expect(m.circuits.map((c) => c.circuit_id)).toEqual(['IZEC.100200..ATI', 'IZEC.100201..ATI', 'IZEC.100202..ATI']);
    expect(m.start).toBe(utc(2026, 10, 3, 23, 15));
    expect(m.end).toBe(utc(2026, 10, 4, 2, 45));
  });

  it('reads a window written without a zone as GMT', async () => {
    const [m] = await parse(fixture.replaceAll('April 14, 2026 06:00 GMT', 'April 14, 2026 06:00').replaceAll('April 14, 2026 10:00 GMT', 'April 14, 2026 10:00'));
    expect(m.start).toBe(utc(2026, 4, 14, 6));
    expect(m.end).toBe(utc(2026, 4, 14, 10));
  });

  it('normalises the local-exchange layout (Customer / Circuit/Asset)', async () => {
    const sheet = await workbook([
      ['Customer', 'Circuit/Asset'],
      ['Umbrella LLC', '0041/KQGN/552100 ATI LEC'],
      ['Umbrella LLC', '41/KQGN/552177'],
    ]);
    const [m] = await parse(withSheet(fixture, sheet));
    expect(m.account).toBe('Umbrella LLC');
    expect(m.circuits.map((c) => c.circuit_id)).toEqual(['41/KQGN/5521ATI', '41/KQGN/552177']);
  });

  it('reads the wholesale layout (Customer Names / Customer Circuit ID) with numeric cells', async () => {
    const sheet = await workbook([
      ['Customer Names', 'Customer Circuit ID'],
      [90210, 'W-7781'],
      [90210, 55012],
    ]);
    const [m] = await parse(withSheet(fixture, sheet));
    expect(m.account).toBe('90210');
    expect(m.circuits.map((c) => c.circuit_id)).toEqual(['W-7781', '55012']);
  });

  it('rejects a spreadsheet without customer and circuit columns', async () => {
    const sheet = await workbook([['Site', 'Port'], ['Dallas', 'xe-0/0/1']]);
    const outcome = await parseMail(withSheet(fixture, sheet), { registry: builtInRegistry(), providerHint: 'att' });
    expect(outcome.kind).toBe('unparsed');
    expect(outcome.kind === 'unparsed' && outcome.reasons.join('\n')).toContain('names no customer and circuit column');
  });

  it('reads a 12-hour window with its zone', async () => {
    const [m] = await parse(fixture.replaceAll('April 14, 2026 06:00 GMT', 'April 14, 2026 01:00 AM CDT').replaceAll('April 14, 2026 10:00 GMT', 'Apr. 14, 2026 5:00 PM CDT'));
    expect(m.start).toBe(utc(2026, 4, 14, 6));
    expect(m.end).toBe(utc(2026, 4, 14, 22));
  });

  it('refuses a label line of 100 KB of blanks quickly', async () => {
    const t0 = Date.now();
    const outcome = await parseMail(fixture.replaceAll('Event ID', `Event${' '.repeat(100_000)}x ID`), { registry: builtInRegistry(), providerHint: 'att' });
    expect(outcome.kind).toBe('unparsed');
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
