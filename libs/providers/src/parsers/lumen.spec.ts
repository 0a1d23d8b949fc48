import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInRegistry, parseNotification, readMail, type NotificationData } from '../index';

// The fixture's HTML is quoted-printable (as Lumen sends it), so the variations edit the
// decoded HTML part rather than the raw mail text.
const fixture = readFileSync(join(__dirname, '..', '..', 'fixtures', 'lumen', 'scheduled-alternate-night.eml'));
const registry = builtInRegistry();
const utc = (y: number, mo: number, d: number, h: number, mi: number, s = 0) => Date.UTC(y, mo - 1, d, h, mi, s) / 1000;

async function parseEdited(edit: (html: string) => string) {
  const data: NotificationData = await readMail(fixture);
  const parts = data.parts.map((p) => (p.type === 'html' ? { ...p, content: edit(p.content) } : p));
  const outcome = parseNotification({ ...data, parts }, { registry, providerHint: 'lumen' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

describe('lumen', () => {
  it('variation: new ticket, circuits and dates give new ids and epochs for both windows', async () => {
    const ms = await parseEdited((html) =>
      html
        .replaceAll('31415926', '27182818')
        .replaceAll('440712093', '550000111')
        .replaceAll('BBEX-775120', 'BBEX-000042')
        .replaceAll('2025-05-20', '2025-11-04')
        .replaceAll('2025-05-21', '2025-11-05')
        .replaceAll('2025-05-02 14:12:09', '2025-10-20 09:30:00'),
    );
    expect(ms).toHaveLength(2);
    for (const m of ms) {
      expect(m.maintenance_id).toBe('27182818');
      expect(m.circuits.map((c) => c.circuit_id)).toEqual(['550000111', 'BBEX-000042']);
      expect(m.stamp).toBe(utc(2025, 10, 20, 9, 30));
    }
    expect(ms.map((m) => [m.start, m.end])).toEqual([
      [utc(2025, 11, 4, 5, 0), utc(2025, 11, 4, 11, 0)],
      [utc(2025, 11, 5, 5, 0), utc(2025, 11, 5, 11, 0)],
    ]);
  });

  it('takes the status from the impact matrix Status column when there is one', async () => {
    const withStatus = (status: string) => (html: string) =>
      html
        .replace('Order Number</td></tr>', 'Order Number</td><td class="headerRow">Status</td></tr>')
        .replaceAll('<td>&nbsp;</td></tr>', `<td>&nbsp;</td><td>${status}</td></tr>`);
    expect((await parseEdited(withStatus('Completed')))[0].status).toBe('COMPLETED');
    expect((await parseEdited(withStatus('Postponed')))[0].status).toBe('RE-SCHEDULED');
    expect((await parseEdited(withStatus('Not Completed')))[0].status).toBe('CANCELLED');
  });

  it('reads a cancellation update, and the window from a local zone when there is no GMT row', async () => {
    const ms = await parseEdited((html) =>
      html
        .replace('This maintenance is scheduled.', 'Please be advised that this maintenance has been cancelled.')
        .replace(/<tr><td>[^<]*GMT \(Greenwich Mean Time\)<\/td><td>[^<]*<\/td><\/tr>/g, ''),
    );
    expect(ms[0].status).toBe('CANCELLED');
    // 00:00 CDT is 05:00 UTC.
    expect([ms[0].start, ms[0].end]).toEqual([utc(2025, 5, 20, 5, 0), utc(2025, 5, 20, 11, 0)]);
  });
});
