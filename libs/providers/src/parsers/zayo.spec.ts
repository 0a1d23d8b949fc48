import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInRegistry, parseMail, type DataPart, type ParserContext } from '../index';
import { zayoSubjectParser } from './zayo';

const fixture = readFileSync(join(__dirname, '..', '..', 'fixtures', 'zayo', 'planned-two-nights.eml'), 'utf8');
const registry = builtInRegistry();
const utc = (y: number, mo: number, d: number, h: number, mi: number) => Date.UTC(y, mo - 1, d, h, mi) / 1000;

async function parse(mail: string) {
  const outcome = await parseMail(mail, { registry, providerHint: 'zayo' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

describe('zayo', () => {
  it('variation: a new ticket, circuits and nights follow into every window', async () => {
    const mail = fixture
      .replaceAll('TTN-0007310042', 'TTN-0001112223')
      .replaceAll('/IPYX/704512/', '/IPYX/999001/')
      .replaceAll('/OGYX/388201/', '/OGYX/100200/')
      .replaceAll('14-Apr-2025', '02-Sep-2025')
      .replaceAll('15-Apr-2025', '04-Sep-2025')
      .replaceAll('28-Mar-2025', '20-Aug-2025')
      .replaceAll('Northwind Networks LLC', 'Example Transit Co');
    const ms = await parse(mail);
    expect(ms).toHaveLength(2);
    for (const m of ms) {
      expect(m.maintenance_id).toBe('TTN-0001112223');
      expect(m.account).toBe('Example Transit Co');
      expect(m.circuits).toEqual([
        { circuit_id: '/IPYX/999001/ /ZYO /', impact: 'OUTAGE' },
        { circuit_id: '/OGYX/100200/ /ZYO /', impact: 'NO-IMPACT' },
      ]);
      expect(m.stamp).toBe(utc(2025, 8, 20, 0, 0));
    }
    expect(ms.map((m) => [m.start, m.end])).toEqual([
      [utc(2025, 9, 2, 4, 1), utc(2025, 9, 2, 10, 0)],
      [utc(2025, 9, 4, 4, 1), utc(2025, 9, 4, 10, 0)],
    ]);
  });

  it('reads a cancellation from the body and one night as one maintenance', async () => {
    const second = /<br><br><b>2<sup>nd<\/sup> Activity Date <\/b>[\s\S]*?\( GMT \)/;
    const mail = fixture
      .replace('will be performing maintenance on its network as described below', 'has cancelled the maintenance event listed below')
      .replace('will be performing maintenance on its network as described below', 'has cancelled the maintenance event listed below')
      .replace(second, '');
    const ms = await parse(mail);
    expect(ms).toHaveLength(1);
    expect(ms[0].status).toBe('CANCELLED');
  });

  it('falls back to the local window when a notice has no GMT line', async () => {
    const mail = fixture.replace(/\s*(<br>)?\s*1[45]-Apr-2025 04:01 to 1[45]-Apr-2025 10:00 \( GMT \)/g, '');
    const ms = await parse(mail);
    // 00:01 Eastern daylight time is 04:01 UTC.
    expect(ms.map((m) => m.start)).toEqual([utc(2025, 4, 14, 4, 1), utc(2025, 4, 15, 4, 1)]);
  });

  it('finds the nights when a forward put labels and dates in separate paragraphs', async () => {
    const mail = fixture
      .replace('<b>1<sup>st</sup> Activity Date </b><br>', '<p class="MsoNormal"><b><span>1st Activity Date</span></b></p><p class="MsoNormal">')
      .replace('<b>2<sup>nd</sup> Activity Date </b><br>', '<p class="MsoNormal"><b><span>2nd Activity Date</span></b></p><p class="MsoNormal">');
    const ms = await parse(mail);
    expect(ms.map((m) => [m.start, m.end])).toEqual([
      [utc(2025, 4, 14, 4, 1), utc(2025, 4, 14, 10, 0)],
      [utc(2025, 4, 15, 4, 1), utc(2025, 4, 15, 10, 0)],
    ]);
  });

  it('reads the subject: customer, ticket and message type', () => {
    const ctx = {} as ParserContext;
    const subject = (content: string): DataPart => ({ type: 'email-header-subject', content });
    expect(zayoSubjectParser.parse(subject('END OF WINDOW NOTIFICATION***Acme Corp***ZAYO TTN-0000123456 Planned***'), ctx)).toEqual([
      { maintenance_id: 'TTN-0000123456', account: 'Acme Corp', status: 'COMPLETED' },
    ]);
    expect(zayoSubjectParser.parse(subject('[notices] Rescheduled  Maintenance***ZAYO TTN-0005471719 MAINTENANCE NOTIFICATION***'), ctx)).toEqual([
      { maintenance_id: 'TTN-0005471719', status: 'RE-SCHEDULED' },
    ]);
    expect(() => zayoSubjectParser.parse(subject('Weekly newsletter'), ctx)).toThrow('ZAYO <ticket>');
  });
});
