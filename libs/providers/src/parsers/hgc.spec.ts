import { epoch, outcomeAs, parseAs, readFixture, vary } from '../testing/spec-helpers';

const fixture = (name: string): string => readFixture('hgc', name);
const parse = (raw: string) => parseAs('hgc', raw);
const outcomeOf = (raw: string) => outcomeAs('hgc', raw);

describe('hgc html + subject parsers', () => {
  it('follows ticket, circuit and window of the table layout (variation)', async () => {
    const raw = vary(fixture('emergency-table.eml'), [
      ['TIC000000004471932', 'TIC000000005002211'],
      ['CIR0482211', 'CIR0519907'],
      ['04-Mar-2023 &nbsp;16:00 UTC', '30-Nov-2023 &nbsp;23:15 UTC'],
      ['04-Mar-2023 &nbsp;22:00 UTC', '01-Dec-2023 &nbsp;03:45 UTC'],
      ['Fri, 03 Mar 2023 08:44:10 +0800', 'Tue, 28 Nov 2023 12:00:00 +0800'],
    ]);
    const { maintenances } = await parse(raw);
    expect(maintenances).toEqual([
      expect.objectContaining({
        provider: 'hgc',
        maintenance_id: 'TIC000000005002211',
        account: 'Example Broadband Ltd',
        status: 'CONFIRMED',
        circuits: [{ circuit_id: 'CIR0519907', impact: 'OUTAGE' }],
        start: epoch('2023-11-30T23:15:00Z'),
        end: epoch('2023-12-01T03:45:00Z'),
        stamp: epoch('2023-11-28T04:00:00Z'),
      }),
    ]);
  });

  it('follows ticket, circuit and window of the line layout (variation)', async () => {
    const raw = vary(fixture('planned-lines.eml'), [
      ['TIC000000004471977', 'TIC000000005117700'],
      ['CIR0482212', 'CIR0533301'],
      ['21-Mar-2023 01:00 UTC', '14-Feb-2024 18:00 UTC'],
      ['21-Mar-2023 05:00 UTC', '14-Feb-2024 20:30 UTC'],
    ]);
    const { maintenances } = await parse(raw);
    expect(maintenances[0]).toMatchObject({
      maintenance_id: 'TIC000000005117700',
      circuits: [{ circuit_id: 'CIR0533301', impact: 'OUTAGE' }],
      start: epoch('2024-02-14T18:00:00Z'),
      end: epoch('2024-02-14T20:30:00Z'),
      summary: 'Submarine cable repeater replacement between Hong Kong and Taiwan by International service provider',
    });
  });

  it('needs the ticket in the subject', async () => {
    const raw = vary(fixture('planned-lines.eml'), [['(TIC000000004471977)', '']]);
    const outcome = await outcomeOf(raw);
    expect(outcome.kind).toBe('unparsed');
    expect(outcome.kind === 'unparsed' && outcome.reasons.join('\n')).toContain('no ticket in the subject');
  });
});
