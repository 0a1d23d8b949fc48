import { epoch, parseAs, readFixture, vary } from '../testing/spec-helpers';

const fixture = (name: string): string => readFixture('tata', name);
const parse = (raw: string) => parseAs('tata', raw);

describe('tata html + subject parsers', () => {
  it('follows ticket, services and window of the notice (variation)', async () => {
    const raw = vary(fixture('scheduled.eml'), [
      ['CHGP0458812', 'CHGP0611907'],
      ['091LOND6234567890', '091FRAN6299000011'],
      ['091MUMB6234567891', '091CHEN6299000012'],
      ['2024-01-20 18:30:00 GMT', '2024-09-14 20:00:00 GMT'],
      ['2024-01-21 00:30:00 GMT', '2024-09-15 01:30:00 GMT'],
      ['Mon, 08 Jan 2024 07:41:19 +0000', 'Mon, 02 Sep 2024 14:00:00 +0530'],
    ]);
    const { maintenances } = await parse(raw);
    expect(maintenances).toEqual([
      expect.objectContaining({
        provider: 'tata',
        maintenance_id: 'CHGP0611907',
        account: 'N/A',
        status: 'CONFIRMED',
        organizer: 'planned.activity@tatacommunications.com',
        summary: 'TCL TT: "CHGP0611907" / "Normal" / "Scheduled" / Planned Work Notification',
        start: epoch('2024-09-14T20:00:00Z'),
        end: epoch('2024-09-15T01:30:00Z'),
        stamp: epoch('2024-09-02T08:30:00Z'),
        circuits: [
          { circuit_id: '091FRAN6299000011', impact: 'OUTAGE' },
          { circuit_id: '091CHEN6299000012', impact: 'OUTAGE' },
        ],
      }),
    ]);
  });

  it('takes the revised window of a reschedule', async () => {
    const raw = vary(fixture('rescheduled.eml'), [
      ['2024-01-27 18:30:00 GMT', '2024-02-03 19:00:00 GMT'],
      ['2024-01-28 00:30:00 GMT', '2024-02-04 01:00:00 GMT'],
    ]);
    const { maintenances } = await parse(raw);
    expect(maintenances[0]).toMatchObject({
      status: 'RE-SCHEDULED',
      start: epoch('2024-02-03T19:00:00Z'),
      end: epoch('2024-02-04T01:00:00Z'),
    });
  });

  it('moves only the end for an extension', async () => {
    const raw = vary(fixture('scheduled.eml'), [
      ['"Scheduled" / Planned Work', '"Extension" / Planned Work'],
      [
        '<td><span style="font-size: 10pt;"><strong><strong><span style="color: black;">Expected Impact Duration',
        '<td><span style="font-size: 10pt;"><strong>Extended up to Time Window (GMT)</strong></span></td>\n<td><span style="font-size: 10pt;">2024-01-21 03:00:00 GMT</span></td>\n</tr>\n<tr>\n<td><span style="font-size: 10pt;"><strong><strong><span style="color: black;">Expected Impact Duration',
      ],
    ]);
    const { maintenances } = await parse(raw);
    expect(maintenances[0]).toMatchObject({
      status: 'RE-SCHEDULED',
      start: epoch('2024-01-20T18:30:00Z'),
      end: epoch('2024-01-21T03:00:00Z'),
    });
  });
});
