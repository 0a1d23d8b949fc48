import { epoch, parseAs, readFixture, vary } from '../testing/spec-helpers';

const fixture = (name: string): string => readFixture('telstra', name);
const parse = (raw: string) => parseAs('telstra', raw);

describe('telstra html parser', () => {
  it('follows reference, circuits and window of the table layout (variation)', async () => {
    // The fixture is quoted-printable: the end time is split by a soft line break.
    const raw = vary(fixture('planned-maintenance.eml'), [
      ['PN612345', 'PN700071'],
      ['SYD HKG EPL 9012345', 'PER SNG EPL 9770001'],
      ['SYD SNG EPL 9012346', 'PER JKT EPL 9770002'],
      ['19-Jul-2023 14:00:00(UTC)', '02-Nov-2023 23:30:00(UTC)'],
      ['19-Jul-2023 20:=\n00:00(UTC)', '03-Nov-2023 04:=\n15:00(UTC)'],
      ['Wed, 05 Jul 2023 03:12:44 +0000', 'Thu, 19 Oct 2023 10:00:00 +1100'],
    ]);
    const { maintenances } = await parse(raw);
    expect(maintenances).toEqual([
      expect.objectContaining({
        provider: 'telstra',
        maintenance_id: 'PN700071',
        account: 'Example Networks Pty Ltd',
        status: 'CONFIRMED',
        start: epoch('2023-11-02T23:30:00Z'),
        end: epoch('2023-11-03T04:15:00Z'),
        stamp: epoch('2023-10-18T23:00:00Z'),
        circuits: [
          { circuit_id: 'PER SNG EPL 9770001', impact: 'OUTAGE' },
          { circuit_id: 'PER JKT EPL 9770002', impact: 'OUTAGE' },
        ],
      }),
    ]);
  });

  it('follows reference, circuits and window of the Telstra Connect layout (variation)', async () => {
    const raw = vary(fixture('connect-emergency.eml'), [
      ['PN623456', 'PN811002'],
      ['MEL SYD EPL 9023456', 'BNE SYD EPL 9100001'],
      ['MEL SYD IPVPN 9023457', 'BNE SYD IPVPN 9100002'],
      ['Tuesday, 15 Aug 2023 16:00:00 (UTC)', 'Saturday, 02 Mar 2024 13:00:00 (UTC)'],
      ['Tuesday, 15 Aug 2023 21:00:00 (UTC)', 'Saturday, 02 Mar 2024 19:30:00 (UTC)'],
    ]);
    const { maintenances } = await parse(raw);
    expect(maintenances[0]).toMatchObject({
      maintenance_id: 'PN811002',
      account: 'Example Networks Pty Ltd',
      status: 'CONFIRMED',
      start: epoch('2024-03-02T13:00:00Z'),
      end: epoch('2024-03-02T19:30:00Z'),
      circuits: [
        { circuit_id: 'BNE SYD EPL 9100001', impact: 'OUTAGE' },
        { circuit_id: 'BNE SYD IPVPN 9100002', impact: 'OUTAGE' },
      ],
    });
  });

  it.each([
    ['completed', 'has been completed - Successful', 'COMPLETED'],
    ['amended', 'has been amended that will impact your service.', 'RE-SCHEDULED'],
    ['withdrawn', 'has been withdrawn - .', 'CANCELLED'],
  ])('reads the %s state from the headline', async (_label, headline, status) => {
    // "Planned Maintenance ..." is split by a quoted-printable soft line break in the fixture.
    const raw = vary(fixture('planned-maintenance.eml'), [['ce has been scheduled that will impact your service.', `ce ${headline}`]]);
    const { maintenances } = await parse(raw);
    expect(maintenances[0].status).toBe(status);
  });

  it('reads the state from the Connect heading', async () => {
    const raw = vary(fixture('connect-emergency.eml'), [
      ['Emergency maintenance to our network infrastructure\n', 'Maintenance to our network infrastructure has been completed successfully\n'],
    ]);
    const { maintenances } = await parse(raw);
    expect(maintenances[0].status).toBe('COMPLETED');
  });
});
