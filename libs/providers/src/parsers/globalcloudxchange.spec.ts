import { epoch, parseAs, readFixture, vary } from '../testing/spec-helpers';

const fixture = (name: string): string => readFixture('globalcloudxchange', name);
const parse = (raw: string) => parseAs('globalcloudxchange', raw);

describe('globalcloudxchange subject + html parsers', () => {
  it('follows ticket, services and windows of the notice (variation)', async () => {
    const raw = vary(fixture('two-windows.eml'), [
      ['PE2023091412345', 'PE2024061100077'],
      ['GXLS40021', 'GXLS41188'],
      ['GXEPL50817', 'GXEPL52290'],
      ['20-Sep-2023 01:00', '18-Jun-2024 20:00'],
      ['20-Sep-2023 07:00', '19-Jun-2024 02:00'],
      ['21-Sep-2023 01:00', '25-Jun-2024 20:00'],
      ['21-Sep-2023 07:00', '26-Jun-2024 02:00'],
    ]);
    const { maintenances } = await parse(raw);
    expect(maintenances.map((m) => [m.maintenance_id, m.start, m.end])).toEqual([
      ['PE2024061100077', epoch('2024-06-18T20:00:00Z'), epoch('2024-06-19T02:00:00Z')],
      ['PE2024061100077', epoch('2024-06-25T20:00:00Z'), epoch('2024-06-26T02:00:00Z')],
    ]);
    for (const m of maintenances) {
      expect(m.circuits).toEqual([
        { circuit_id: 'GXLS41188', impact: 'REDUCED-REDUNDANCY' },
        { circuit_id: 'GXEPL52290', impact: 'OUTAGE' },
      ]);
      expect(m).toMatchObject({ account: 'Example Cloud Services LLC', summary: 'Submarine Cable Repair', status: 'CONFIRMED' });
    }
  });

  it('gives one maintenance for one window, and reads the status from the subject', async () => {
    // Window 2 with no primary dates ("NA") is no window.
    const raw = vary(fixture('two-windows.eml'), [
      ['21-Sep-2023 01:00</font>', 'NA</font>'],
      ['21-Sep-2023 07:00</font>', 'NA</font>'],
      ['Service Advisory Notice', 'Service Advisory Completed'],
    ]);
    const { maintenances } = await parse(raw);
    expect(maintenances).toHaveLength(1);
    expect(maintenances[0]).toMatchObject({
      status: 'COMPLETED',
      start: epoch('2023-09-20T01:00:00Z'),
      end: epoch('2023-09-20T07:00:00Z'),
    });
  });
});
