import { epoch, outcomeAs, parseAs, readFixture, vary } from '../testing/spec-helpers';

const fixture = (name: string): string => readFixture('pccw', name);
const parse = (raw: string) => parseAs('pccw', raw);
const outcomeOf = (raw: string) => outcomeAs('pccw', raw);

describe('pccw html + subject parsers (completion notices)', () => {
  it('follows the ticket, account and window of the notice (variation)', async () => {
    const raw = vary(fixture('completion.eml'), [
      ['INC0A1B2C3D4E5F6', 'INC0F9E8D7C6B5A4'],
      ['Customer Name : Example Telecom Ltd', 'Customer Name : Sample Carrier GmbH'],
      ['09/02/2024 18:00:00 to 10/02/2024 02:00:00 GMT', '30/04/2024 22:30:00 to 01/05/2024 04:00:00 GMT'],
      ['Sat, 10 Feb 2024 06:20:31 +0000', 'Thu, 02 May 2024 09:00:00 +0800'],
    ]);
    const { maintenances } = await parse(raw);
    expect(maintenances).toEqual([
      expect.objectContaining({
        provider: 'PCCW Global',
        maintenance_id: 'INC0F9E8D7C6B5A4',
        account: 'Sample Carrier GmbH',
        status: 'COMPLETED',
        circuits: [],
        start: epoch('2024-04-30T22:30:00Z'),
        end: epoch('2024-05-01T04:00:00Z'),
        stamp: epoch('2024-05-02T01:00:00Z'),
      }),
    ]);
    expect(maintenances[0].summary).toContain('INC0F9E8D7C6B5A4');
  });

  it('reads the date day first, as the notice says (dd/mm/yyyy)', async () => {
    const raw = vary(fixture('completion.eml'), [
      ['09/02/2024 18:00:00 to 10/02/2024 02:00:00 GMT', '03/04/2024 01:00:00 to 03/04/2024 05:00:00 GMT'],
    ]);
    const { maintenances } = await parse(raw);
    expect(maintenances[0].start).toBe(epoch('2024-04-03T01:00:00Z'));
  });

  it('leaves other notices to the iCalendar they come with', async () => {
    const raw = vary(fixture('completion.eml'), [['Subject: Completion - Planned Outage', 'Subject: Planned Outage']]);
    const outcome = await outcomeOf(raw);
    expect(outcome.kind).toBe('unparsed');
    expect(outcome.kind === 'unparsed' && outcome.reasons.join('\n')).toContain('not a completion notice');
  });
});
