import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInRegistry, parseMail } from '../index';

const fixture = readFileSync(join(__dirname, '..', '..', 'fixtures', 'windstream', 'emergency.eml'), 'utf8');
const registry = builtInRegistry();
const utc = (y: number, mo: number, d: number, h: number, mi: number) => Date.UTC(y, mo - 1, d, h, mi) / 1000;

async function parse(mail: string) {
  const outcome = await parseMail(mail, { registry, providerHint: 'windstream' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

describe('windstream', () => {
  it('variation: a new WMT, circuits and event times follow', async () => {
    const [m] = await parse(
      fixture
        .replaceAll('884213', '901555')
        .replaceAll('WS/KQGN/480117/', 'WS/ABCD/100001/')
        .replaceAll('WS/KQGN/480118/', 'WS/ABCD/100002/')
        .replace('<td>01/16/25 00:00 ET</td>', '<td>07/08/25 23:00 ET</td>')
        .replace('<td>01/16/25 05:00 ET</td>', '<td>07/09/25 04:30 ET</td>'),
    );
    expect(m.maintenance_id).toBe('901555');
    expect(m.circuits.map((c) => c.circuit_id)).toEqual(['WS/ABCD/100001/ /WXN /', 'WS/ABCD/100002/ /WXN /']);
    // July: Eastern daylight time, UTC-4.
    expect([m.start, m.end]).toEqual([utc(2025, 7, 9, 3, 0), utc(2025, 7, 9, 8, 30)]);
  });

  it('maps the title to a status and an impact table without an outage to NO-IMPACT', async () => {
    const [m] = await parse(
      fixture
        .replace('<h1>Emergency Maintenance Notification</h1>', '<h1>Completed Maintenance Notification</h1>')
        .replace('<tr><td>Outage</td>', '<tr><td>Protected</td>'),
    );
    expect(m.status).toBe('COMPLETED');
    expect(new Set(m.circuits.map((c) => c.impact))).toEqual(new Set(['NO-IMPACT']));
    const [cancelled] = await parse(fixture.replace('<h1>Emergency Maintenance Notification</h1>', '<h1>Cancelled Maintenance Notification</h1>'));
    expect(cancelled.status).toBe('CANCELLED');
  });
});
