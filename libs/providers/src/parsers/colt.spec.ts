import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Maintenance } from '@maintwatch/contracts';
import { builtInRegistry, parseMail } from '../index';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'colt');
const notice = readFileSync(join(fixtures, 'planned-notice.eml'), 'utf8');
const alert = readFileSync(join(fixtures, 'alert-completed.eml'), 'utf8');
const utc = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) / 1000;

async function parse(mail: string): Promise<Maintenance[]> {
  const outcome = await parseMail(mail, { registry: builtInRegistry(), providerHint: 'colt' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

/** Edits the UTF-16 CSV attachment (base64 in the mail) with `edit`. */
function editCsv(mail: string, edit: (csv: string) => string): string {
  const marker = 'filename="colt.csv"\nContent-Transfer-Encoding: base64\n\n';
  const start = mail.indexOf(marker) + marker.length;
  const end = mail.indexOf('\n--', start);
  const csv = Buffer.from(mail.slice(start, end).replace(/\s+/g, ''), 'base64').toString('utf16le');
  const encoded = Buffer.from(edit(csv), 'utf16le').toString('base64').replace(/.{76}/g, '$&\n');
  return mail.slice(0, start) + encoded + mail.slice(end);
}

describe('colt parser', () => {
  it('variation: follows the ticket, window, account and circuits', async () => {
    const mail = editCsv(
      notice
        .replaceAll('CRQ1-48822910', 'CRQ1-50190077')
        .replaceAll('14/4/2026 22:00:00 GMT', '2/11/2026 23:30:00 GMT')
        .replaceAll('15/4/2026 04:00:00 GMT', '3/11/2026 05:15:00 GMT'),
      (csv) => csv.replaceAll('556677', '881100').replaceAll('C-7781234', 'C-9900001').replaceAll('C-7781299', 'C-9900002'),
    );
    const [m, ...rest] = await parse(mail);
    expect(rest).toEqual([]);
    expect(m.maintenance_id).toBe('CRQ1-50190077');
    expect(m.account).toBe('881100');
    expect(m.circuits).toEqual([
      { circuit_id: 'C-9900001', impact: 'OUTAGE' },
      { circuit_id: 'C-9900002', impact: 'OUTAGE' },
    ]);
    // Day first: 2/11 is the 2nd of November.
    expect(m.start).toBe(utc(2026, 11, 2, 23, 30));
    expect(m.end).toBe(utc(2026, 11, 3, 5, 15));
    expect(m.status).toBe('CONFIRMED');
  });

  it('reads a cancellation notice', async () => {
    const [m] = await parse(notice.replace('[ EXTERNAL ] Colt Service Affecting', 'Cancellation Colt Service Affecting'));
    expect(m.status).toBe('CANCELLED');
    expect(m.summary).toBe('Colt Service Affecting Maintenance Notification');
  });

  it.each([
    ['- COMPLETED', 'COMPLETED'],
    ['is about to START', 'IN-PROCESS'],
  ])('reads the alert status "%s"', async (tail, status) => {
    const [m] = await parse(alert.replace('GMT - COMPLETED', `GMT ${tail}`));
    expect(m.status).toBe(status);
    expect(m.summary).toBe('MAINTENANCE ALERT');
    expect(m.start).toBe(utc(2026, 4, 14, 22));
  });

  it('reads a CSV attachment that declared no charset', async () => {
    const [m] = await parse(notice.replace('Content-Type: text/csv; charset="UTF-16LE"; name="colt.csv"', 'Content-Type: text/csv; name="colt.csv"'));
    expect(m.account).toBe('556677');
    expect(m.circuits.map((c) => c.circuit_id)).toEqual(['C-7781234', 'C-7781299']);
  });
});
