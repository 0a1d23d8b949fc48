import { epoch, parseAs, readFixture, vary } from '../testing/spec-helpers';

const fixture = (name: string): string => readFixture('google', name);
const parse = (raw: string) => parseAs('google', raw);

describe('google html parser', () => {
  it('follows reference, peer ASN, sessions and window of the notice (variation)', async () => {
    const raw = vary(fixture('scheduled.eml'), [
      ['PCR/482913', 'PCR/517004'],
      ['64512', '64496'],
      ['198.51.100.1', '203.0.113.9'],
      ['198.51.100.2', '203.0.113.10'],
      ['2001:db8:42::1', '2001:db8:77::a'],
      ['2001:db8:42::2', '2001:db8:77::b'],
      ['2024-01-23 02:00:00 &#43;0000', '2024-07-09 21:30:00 &#43;0000'],
      ['2024-01-23 06:30:00 &#43;0000', '2024-07-10 01:00:00 &#43;0000'],
      ['Mon, 15 Jan 2024 17:02:11 +0000', 'Tue, 02 Jul 2024 08:00:00 -0700'],
    ]);
    const { maintenances } = await parse(raw);
    expect(maintenances).toEqual([
      expect.objectContaining({
        provider: 'google',
        maintenance_id: 'PCR/517004',
        account: '64496',
        status: 'CONFIRMED',
        summary: 'Network Maintenance Notification - Reference PCR/517004',
        start: epoch('2024-07-09T21:30:00Z'),
        end: epoch('2024-07-10T01:00:00Z'),
        stamp: epoch('2024-07-02T15:00:00Z'),
        circuits: [
          { circuit_id: '203.0.113.9-203.0.113.10', impact: 'OUTAGE' },
          { circuit_id: '2001:db8:77::a-2001:db8:77::b', impact: 'OUTAGE' },
        ],
      }),
    ]);
  });

  it('applies the offset written with the times', async () => {
    const raw = vary(fixture('scheduled.eml'), [['2024-01-23 02:00:00 &#43;0000', '2024-01-23 03:00:00 &#43;0100']]);
    const { maintenances } = await parse(raw);
    expect(maintenances[0].start).toBe(epoch('2024-01-23T02:00:00Z'));
  });
});
