import type { Parser, ProviderDefinition } from './types';
import { runProvider } from './engine';

const window = { maintenance_id: 'M-1', account: 'acct', start: 1000, end: 2000, stamp: 900, status: 'CONFIRMED' as const };
const provider = (parser: Parser): ProviderDefinition => ({
  type: 'test',
  name: 'Test',
  senders: [],
  defaultOrganizer: 'noc@example.net',
  processors: [{ kind: 'combined', parsers: [parser] }],
});
const html = { parts: [{ type: 'html' as const, content: '<p>x</p>' }], warnings: [] };

describe(runProvider.name, () => {
  it('collapses and trims every summary, whatever the provider markup', () => {
    const run = runProvider(
      provider({ name: 'p', dataTypes: ['html'], parse: () => [{ ...window, circuits: [{ circuit_id: 'C1', impact: 'OUTAGE' }], summary: '\n  Fibre\u00a0repair\r\n\t between  A and B  ' }] }),
      html,
    );
    expect(run.maintenances[0].summary).toBe('Fibre repair between A and B');
  });

  it('keeps alternate windows beside the 12-key record, by index', () => {
    const run = runProvider(
      provider({
        name: 'p',
        dataTypes: ['html'],
        parse: () => [{ ...window, circuits: [{ circuit_id: 'C1', impact: 'OUTAGE' }], alternateWindows: [{ start: 5000, end: 6000, label: 'backup' }] }],
      }),
      html,
    );
    expect(Object.keys(run.maintenances[0])).toHaveLength(12);
    expect(run.alternateWindows).toEqual([[{ start: 5000, end: 6000, label: 'backup' }]]);
  });

  it('refuses an alternate window that ends before it starts', () => {
    expect(() =>
      runProvider(
        provider({
          name: 'p',
          dataTypes: ['html'],
          parse: () => [{ ...window, circuits: [{ circuit_id: 'C1', impact: 'OUTAGE' }], alternateWindows: [{ start: 6000, end: 5000, label: 'backup' }] }],
        }),
        html,
      ),
    ).toThrow(/alternate windows invalid/);
  });
});
