import { epoch, outcomeAs, parseAs, readFixture, vary } from '../testing/spec-helpers';

const fixture = (name: string): string => readFixture('gtt', name);
const parse = (raw: string) => parseAs('gtt', raw);

describe('gtt html parser', () => {
  it('follows the ticket, circuits, account and dates of the notice (variation)', async () => {
    const raw = vary(fixture('planned-work-new.eml'), [
      ['60712345', '60799001'],
      ['2207714-30045821', '3301122-40011223'],
      ['2207715-30045822', '3301123-40011224'],
      ['PO # NWX00077123', 'PO # QRS00088456'],
      ['2023-03-28 02:00:00', '2023-10-03 21:00:00'],
      ['2023-03-28 06:00:00', '2023-10-04 03:15:00'],
      ['Tue, 14 Mar 2023 10:15:02 +0000', 'Wed, 20 Sep 2023 08:00:00 +0200'],
    ]);
    const { maintenances } = await parse(raw);
    expect(maintenances).toHaveLength(1);
    expect(maintenances[0]).toMatchObject({
      provider: 'gtt',
      maintenance_id: '60799001',
      account: 'PO # QRS00088456',
      status: 'CONFIRMED',
      start: epoch('2023-10-03T21:00:00Z'),
      end: epoch('2023-10-04T03:15:00Z'),
      stamp: epoch('2023-09-20T06:00:00Z'),
      circuits: [
        { circuit_id: '3301122-40011223', impact: 'OUTAGE' },
        { circuit_id: '3301123-40011224', impact: 'OUTAGE' },
      ],
    });
  });

  it('reads the new time of a reschedule, not the struck-out one', async () => {
    const { maintenances } = await parse(
      vary(fixture('planned-work-rescheduled.eml'), [
        ['2023-04-04 01:00 GMT', '2023-05-09 22:45 GMT'],
        ['2023-04-04 05:30 GMT', '2023-05-10 02:00 GMT'],
      ]),
    );
    expect(maintenances[0]).toMatchObject({
      status: 'RE-SCHEDULED',
      start: epoch('2023-05-09T22:45:00Z'),
      end: epoch('2023-05-10T02:00:00Z'),
    });
  });

  it('accepts a cancellation without a window, as the reference library does (0 -> 1)', async () => {
    const raw = vary(fixture('planned-work-new.eml'), [
      ['60712345 - New', '60712345 - Cancelled'],
      ['<strong>2023-03-28 02:00:00 GMT</strong>', '<strong>-</strong>'],
      ['<strong>2023-03-28 06:00:00 GMT</strong>', '<strong>-</strong>'],
      ['<strong>Start</strong>', '<strong>Was due</strong>'],
      ['<strong>End</strong>', '<strong>Until</strong>'],
    ]);
    const { maintenances } = await parse(raw);
    expect(maintenances[0]).toMatchObject({ status: 'CANCELLED', start: 0, end: 1 });
  });

  it('rejects a notice state it does not know', async () => {
    const outcome = await outcomeAs('gtt', vary(fixture('planned-work-new.eml'), [['60712345 - New', '60712345 - Postponed']]));
    expect(outcome.kind).toBe('unparsed');
    expect(outcome.kind === 'unparsed' && outcome.reasons.join('\n')).toContain('unknown GTT notice state "Postponed"');
  });
});
