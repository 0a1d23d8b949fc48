import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Maintenance } from '@maintwatch/contracts';
import { builtInRegistry, parseMail } from '../index';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'aws');
const planned = readFileSync(join(fixtures, 'planned-text.eml'), 'utf8');
const cancelled = readFileSync(join(fixtures, 'cancelled-html.eml'), 'utf8');
const utc = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) / 1000;

async function parse(mail: string): Promise<Maintenance[]> {
  const outcome = await parseMail(mail, { registry: builtInRegistry(), providerHint: 'aws' });
  if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
  return outcome.maintenances;
}

/** Edits both fixtures the same way. */
const vary = (mail: string): string =>
  mail
    .replaceAll('210987654321', '120000000042')
    .replaceAll('dxcon-fh3k2j9a', 'dxlag-ab12cd34')
    .replaceAll('dxvif-ffq81mzt', 'dxcon-zz99yy88')
    .replaceAll('Tue, 24 Mar 2026 22:00:00 GMT', 'Sat, 12 Sep 2026 20:30:00 GMT')
    .replaceAll('Wed, 25 =\nMar 2026 04:00:00 GMT', 'Sun, 13 =\nSep 2026 01:30:00 GMT')
    .replaceAll('Wed, 25 Mar 2026 04:00:00 GMT', 'Sun, 13 Sep 2026 01:30:00 GMT');

describe('aws parser', () => {
  it.each([
    ['text', planned, 'CONFIRMED'],
    ['html', cancelled, 'CANCELLED'],
  ])('variation (%s): follows the account, resources and window', async (_kind, fixture, status) => {
    const [m, ...rest] = await parse(vary(fixture));
    expect(rest).toEqual([]);
    expect(m.account).toBe('120000000042');
    expect(m.circuits).toEqual([
      { circuit_id: 'dxlag-ab12cd34', impact: 'OUTAGE' },
      { circuit_id: 'dxcon-zz99yy88', impact: 'OUTAGE' },
    ]);
    expect(m.start).toBe(utc(2026, 9, 12, 20, 30));
    expect(m.end).toBe(utc(2026, 9, 13, 1, 30));
    expect(m.status).toBe(status);
    // No ticket in AWS notices: the id is a hash of the window and the resources.
    const id = createHash('sha256').update(`${m.start}${m.end}dxlag-ab12cd34dxcon-zz99yy88`).digest('hex');
    expect(m.maintenance_id).toBe(id);
  });

  it('reads the SNS layout (Account Id, Affected Resources, Start/End Time lines)', async () => {
    const body = [
      'Planned maintenance has been scheduled on an AWS Direct Connect endpoint in Equinix FR5, Frankfurt, DEU. During this maintenance window, your AWS Direct Connect services associated with this event may become unavailable.',
      '',
      'Region: eu-central-1',
      'Account Id: 120000000042',
      '',
      'Affected Resources:',
      'dxcon-fgk1m2n3',
      '',
      'Start Time: Thu, 08 Oct 2026 07:00:00 GMT',
      'End Time: Thu, 08 Oct 2026 13:00:00 GMT',
    ].join('\n');
    const mail = [
      'Date: Mon, 21 Sep 2026 06:45:12 +0000',
      'From: DXMaintNotify <no-reply@sns.amazonaws.com>',
      'Subject: AWS_DIRECTCONNECT_MAINTENANCE_SCHEDULED',
      'Content-Type: text/plain; charset="UTF-8"',
      '',
      body,
    ].join('\n');
    const [m] = await parse(mail);
    expect(m.account).toBe('120000000042');
    expect(m.circuits).toEqual([{ circuit_id: 'dxcon-fgk1m2n3', impact: 'OUTAGE' }]);
    expect(m.start).toBe(utc(2026, 10, 8, 7));
    expect(m.end).toBe(utc(2026, 10, 8, 13));
    expect(m.stamp).toBe(utc(2026, 9, 21, 6, 45) + 12);
  });
});
