import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInRegistry, parseMail } from '../index';

const fixture = readFileSync(join(__dirname, '..', '..', 'fixtures', 'crowncastle', 'rescheduled.eml'), 'utf8');
const registry = builtInRegistry();
const utc = (y: number, mo: number, d: number, h: number, mi: number) => Date.UTC(y, mo - 1, d, h, mi) / 1000;

async function parse(mail: string) {
  const outcome = await parseMail(mail, { registry, providerHint: 'crowncastle' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

describe('crowncastle', () => {
  it('variation: a new ticket, circuit and dates follow', async () => {
    const [m] = await parse(
      fixture
        .replaceAll('CM20250612044', 'CM20251001123')
        .replaceAll('502233-ETH-PRVDRI01-PRVDRI07', '777001-DF-BSTNMA01-BSTNMA09')
        .replaceAll('7/22/2025', '11/4/2025')
        .replaceAll('7/23/2025', '11/5/2025'),
    );
    expect(m.maintenance_id).toBe('CM20251001123');
    expect(m.circuits).toEqual([{ circuit_id: '777001-DF-BSTNMA01-BSTNMA09', impact: 'OUTAGE' }]);
    // The GMT row: 11/5/2025 3:00 AM to 8:00 AM.
    expect([m.start, m.end]).toEqual([utc(2025, 11, 5, 3, 0), utc(2025, 11, 5, 8, 0)]);
    expect(m.status).toBe('RE-SCHEDULED');
    expect(m.account).toBe('Harborview Health System');
  });

  it('uses a local zone row when the grid has no GMT row, and reads completion and "None" impact', async () => {
    const [m] = await parse(
      fixture
        .replace(/<tr>\s*<td>7\/23\/2025 <\/td>\s*<td>3:00 AM <\/td>\s*<td>7\/23\/2025 <\/td>\s*<td>8:00 AM <\/td>\s*<td>GMT <\/td>\s*<\/tr>/, '')
        .replace('has been rescheduled.', 'has been completed.')
        .replace('<td>Up to 4 hours</td>', '<td>None</td>'),
    );
    // 7/22/2025 11:00 PM Eastern (EDT) is 03:00 UTC.
    expect([m.start, m.end]).toEqual([utc(2025, 7, 23, 3, 0), utc(2025, 7, 23, 8, 0)]);
    expect(m.status).toBe('COMPLETED');
    expect(m.circuits[0].impact).toBe('NO-IMPACT');
  });
});
