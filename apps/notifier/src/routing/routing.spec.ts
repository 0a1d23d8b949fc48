import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError, loadConfig } from '@maintwatch/observability';
import { notifierConfigFor, routingOf } from '../config';
import { RoutingConfigError } from '../errors';
import { circuits, lifecycleEvent, unparsedNotice } from '../fixtures/lifecycle-events';
import { lifecycleNotification, unparsedNotification } from '../rendering/notification';
import { destinationsFor } from './router';
import { loadRoutingFile, parseRouting, type Routing } from './routing-file';

const SECRET_URL = 'https://hooks.slack.example/services/T1/B1/s3cr3t-webhook-path';
const env = { NOC_SLACK_URL: SECRET_URL, OPS_TEAMS_URL: 'https://teams.example/workflows/1?sig=topsecret', BOT: 'xoxb-very-secret', HOOK: 'https://tickets.example/hook', HOOK_KEY: 'k3y' };
const defaults = { timezone: 'UTC', links: {} };

const ROUTES = {
  timezone: 'Europe/Paris',
  destinations: {
    noc: { type: 'slack-webhook', urlEnv: 'NOC_SLACK_URL' },
    ops: { type: 'teams', urlEnv: 'OPS_TEAMS_URL', template: { title: '{{providerName}}: {{typeLabel}}' } },
    bot: { type: 'slack-api', tokenEnv: 'BOT', channel: 'C0NOC', rateLimit: { perSecond: 0.5 } },
    tickets: { type: 'webhook', urlEnv: 'HOOK', secretEnv: 'HOOK_KEY' },
    triage: { type: 'console' },
  },
  routes: [
    { name: 'outages', impacts: ['OUTAGE'], destinations: ['noc', 'ops'] },
    { name: 'zayo', providers: ['Zayo'], events: ['new', 'cancelled'], destinations: ['tickets', 'noc'] },
    { name: 'ring', redundancyGroups: ['metro-ring'], destinations: ['bot'] },
    { name: 'vip', circuits: ['ogyx/100201//zyo'], impacts: ['NO-IMPACT'], destinations: ['ops'] },
    { name: 'unparsed', events: ['unparsed'], destinations: ['triage'] },
  ],
};

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof RoutingConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  throw new Error('expected a RoutingConfigError');
}

describe(destinationsFor.name, () => {
  const routing: Routing = parseRouting(ROUTES, env, defaults, 'routes.yaml');

  it('routing - an outage goes to the outage route; a Zayo announcement also to tickets; each destination once', () => {
    expect(destinationsFor(routing, lifecycleNotification(lifecycleEvent('new')))).toEqual(['noc', 'ops', 'tickets']);
    expect(destinationsFor(routing, lifecycleNotification(lifecycleEvent('rescheduled')))).toEqual(['noc', 'ops']);
  });

  it('routing - the provider filter matches the registry type only', () => {
    const gtt = lifecycleEvent('new', { providerType: 'gtt', circuits: [{ providerCircuitId: 'G-1', impact: 'DEGRADED', verified: true }] });
    expect(destinationsFor(routing, lifecycleNotification(gtt))).toEqual([]);
  });

  it('routing - a redundancy group filter matches any circuit of that group', () => {
    const ring = lifecycleEvent('started', { providerType: 'gtt', circuits: circuits(11, 'DEGRADED') });
    expect(destinationsFor(routing, lifecycleNotification(ring))).toEqual(['bot']);
  });

  it('routing - NO-IMPACT maintenances are quiet unless a route names NO-IMPACT', () => {
    const quiet = lifecycleEvent('new', { providerType: 'gtt', circuits: [{ providerCircuitId: 'X-1', impact: 'NO-IMPACT', verified: true }] });
    expect(destinationsFor(routing, lifecycleNotification(quiet))).toEqual([]);
    const vip = lifecycleEvent('new', { providerType: 'gtt', circuits: [{ providerCircuitId: 'OGYX/100201//ZYO', impact: 'NO-IMPACT', verified: true }] });
    expect(destinationsFor(routing, lifecycleNotification(vip))).toEqual(['ops']);
    const loud = parseRouting({ ...ROUTES, notifyNoImpact: true, routes: [{ destinations: ['noc'] }] }, env, defaults, 'f');
    expect(destinationsFor(loud, lifecycleNotification(quiet))).toEqual(['noc']);
  });

  it('routing - a cancellation without circuits still reaches an unfiltered route', () => {
    const r = parseRouting({ ...ROUTES, routes: [{ destinations: ['noc'] }] }, env, defaults, 'f');
    expect(destinationsFor(r, lifecycleNotification(lifecycleEvent('cancelled', { circuits: [] })))).toEqual(['noc']);
  });

  it('routing - unparsed notices go only to routes that list "unparsed"', () => {
    expect(destinationsFor(routing, unparsedNotification(unparsedNotice()))).toEqual(['triage']);
    const all = parseRouting({ ...ROUTES, routes: [{ destinations: ['noc'] }] }, env, defaults, 'f');
    expect(destinationsFor(all, unparsedNotification(unparsedNotice()))).toEqual([]);
  });
});

describe(loadRoutingFile.name, () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'notifier-routes-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('routes file - YAML with secrets from the environment and from *_FILE, defaults per destination type', () => {
    const keyFile = write('hook-key', 'from-a-file\n');
    const path = write(
      'ok.yaml',
      [
        'timezone: Europe/Paris',
        'links: { maintenance: "https://mw/api/v1/maintenances?id={{maintenanceId}}" }',
        'destinations:',
        '  noc: { type: slack-webhook, urlEnv: NOC_SLACK_URL }',
        '  tickets: { type: webhook, urlEnv: HOOK, secretEnv: HOOK_KEY, retry: { maxAttempts: 3 } }',
        'routes:',
        '  - { events: [new, unparsed], destinations: [noc, tickets] }',
      ].join('\n'),
    );
    const r = loadRoutingFile(path, { NOC_SLACK_URL: SECRET_URL, HOOK: 'https://t.example/h', HOOK_KEY_FILE: keyFile }, defaults);
    const noc = r.destinations.get('noc');
    const tickets = r.destinations.get('tickets');
    expect(noc?.url?.reveal()).toBe(SECRET_URL);
    expect(noc?.rateLimit).toEqual({ perSecond: 1, burst: 1 });
    expect(noc?.timezone).toBe('Europe/Paris');
    expect(tickets?.secret?.reveal()).toBe('from-a-file');
    expect(tickets?.retry.maxAttempts).toBe(3);
    expect(r.links.maintenance).toBe('https://mw/api/v1/maintenances?id={{maintenanceId}}');
    // Secrets never print.
    expect(JSON.stringify([...r.destinations.values()])).not.toContain('s3cr3t');
    expect(inspect(r, { depth: 10 })).not.toContain('s3cr3t');
  });

  it('routes file - every problem at once, each with its place in the file, no secret value shown', () => {
    const got = problems(() =>
      parseRouting(
        {
          timezone: 'Europe/Pariss',
          destinations: {
            noc: { type: 'slack-webhook', urlEnv: 'NOC_SLACK_URL' },
            bad: { type: 'slack-webhook', urlEnv: 'NOT_A_URL' },
            gone: { type: 'teams', urlEnv: 'UNSET_VAR' },
            odd: { type: 'pager' },
            t: { type: 'console', template: { title: 'Hi {{provider}}' }, colour: 'red' },
          },
          routes: [{ events: ['new', 'maybe'], impacts: ['SEVERE'], destinations: ['noc', 'nowhere'] }],
        },
        { ...env, NOT_A_URL: 'ftp://secret-host/secret-path' },
        defaults,
        'f',
      ),
    );
    expect(got).toEqual([
      'destinations.odd.type: type must be one of slack-webhook, slack-api, teams, webhook, console',
      'destinations.t: unknown key "colour"',
      'routes.0.events.1: must be one of new, updated, rescheduled, cancelled, starting-soon, started, ended, overlap, unparsed, device-event, drain',
      'routes.0.impacts.0: must be one of NO-IMPACT, REDUCED-REDUNDANCY, DEGRADED, OUTAGE',
    ]);
    const second = problems(() =>
      parseRouting(
        {
          timezone: 'Europe/Pariss',
          destinations: {
            noc: { type: 'slack-webhook', urlEnv: 'NOC_SLACK_URL' },
            bad: { type: 'slack-webhook', urlEnv: 'NOT_A_URL' },
            gone: { type: 'teams', urlEnv: 'UNSET_VAR' },
            t: { type: 'console', template: { title: 'Hi {{provider}}' } },
          },
          routes: [{ destinations: ['noc', 'nowhere'] }],
        },
        { ...env, NOT_A_URL: 'ftp://secret-host/secret-path' },
        defaults,
        'f',
      ),
    );
    expect(second).toEqual([
      'timezone: "Europe/Pariss" is not an IANA time zone (e.g. Europe/Paris)',
      'destinations.bad.urlEnv: the value of NOT_A_URL is not an http:// or https:// URL (not shown: it is a secret)',
      'destinations.gone.urlEnv: UNSET_VAR is not set (set UNSET_VAR or UNSET_VAR_FILE)',
      expect.stringMatching(/^destinations\.t\.template\.title: unknown placeholder \{\{provider\}\} \(known: type, typeLabel, .*providerName/),
      'routes.0.destinations.1: names destination "nowhere", which is not defined (defined: noc, bad, gone, t)',
    ]);
    expect(second.join('\n')).not.toContain('secret-host');
  });

  it('routes file - a YAML syntax error names the line and column', () => {
    const path = write('broken.yaml', 'destinations:\n  noc: { type: console\nroutes: []\n');
    expect(problems(() => loadRoutingFile(path, env, defaults))).toEqual([expect.stringMatching(/^: is not valid YAML\/JSON at line \d+, column \d+: /)]);
  });

  it('routes file - a missing file says so', () => {
    expect(problems(() => loadRoutingFile(join(dir, 'nope.yaml'), env, defaults))).toEqual([': cannot be read (ENOENT)']);
  });

  it('routes file - the documented example (apps/notifier/routes.example.yaml) is valid', () => {
    const example = join(__dirname, '..', '..', 'routes.example.yaml');
    const vars = ['SLACK_NOC_WEBHOOK_URL', 'TEAMS_OPS_WEBHOOK_URL', 'TICKETS_WEBHOOK_URL'];
    const r = loadRoutingFile(example, { ...Object.fromEntries(vars.map((v) => [v, 'https://example.net/x'])), SLACK_BOT_TOKEN: 'xoxb-1', TICKETS_WEBHOOK_SECRET: 'k' }, defaults);
    expect([...r.destinations.keys()]).toEqual(['noc-slack', 'noc-bot', 'ops-teams', 'tickets', 'log']);
    expect(r.routes.map((x) => x.name)).toEqual(['outages', 'core ring', 'announcements to the ticket system', 'a circuit we watch even without impact', 'notices nobody could read']);
  });

  it('routes file - JSON works too', () => {
    const path = write('ok.json', JSON.stringify({ destinations: { c: { type: 'console' } }, routes: [{ destinations: ['c'] }] }));
    expect([...loadRoutingFile(path, {}, defaults).destinations.keys()]).toEqual(['c']);
  });
});

describe('notifier config', () => {
  it('config - a bad routes file stops the service with every problem listed under NOTIFIER_ROUTES_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'notifier-config-'));
    try {
      const path = join(dir, 'routes.yaml');
      writeFileSync(path, 'destinations:\n  noc: { type: slack-webhook, urlEnv: NOC_URL }\nroutes:\n  - destinations: [noc, other]\n');
      const e = { NOTIFIER_ROUTES_FILE: path, NOC_URL: 'not-a-url-but-secret', NOTIFIER_TIMEZONE: 'Moon/Base' };
      let err: unknown;
      try {
        loadConfig(notifierConfigFor(e), e, 'notifier');
      } catch (x) {
        err = x;
      }
      expect(err).toBeInstanceOf(ConfigError);
      const lines = (err as ConfigError).message.split('\n');
      expect(lines[0]).toBe('notifier: invalid configuration (3 problems):');
      expect(lines[1]).toMatch(/^ {2}NOTIFIER_ROUTES_FILE\.destinations\.noc\.urlEnv: the value of NOC_URL is not an http/);
      expect(lines[2]).toMatch(/^ {2}NOTIFIER_ROUTES_FILE\.routes\.0\.destinations\.1: names destination "other"/);
      expect(lines[3]).toMatch(/^ {2}NOTIFIER_TIMEZONE: must be an IANA time zone/);
      expect((err as ConfigError).message).not.toContain('not-a-url-but-secret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('config - no routes file and no Slack or Teams: every event goes to the console', () => {
    const r = routingOf(loadConfig(notifierConfigFor({}), {}));
    expect([...r.destinations.values()].map((d) => d.type)).toEqual(['console']);
    expect(destinationsFor(r, lifecycleNotification(lifecycleEvent('new')))).toEqual(['console']);
    expect(destinationsFor(r, unparsedNotification(unparsedNotice()))).toEqual(['console']);
  });

  it('config - SLACK_WEBHOOK_URL alone replaces the console; a bot token needs its channel', () => {
    const e = { SLACK_WEBHOOK_URL: SECRET_URL, NOTIFIER_PUBLIC_URL: 'https://mw.example.net/' };
    const r = routingOf(loadConfig(notifierConfigFor(e), e));
    expect([...r.destinations.keys()]).toEqual(['slack']);
    expect(r.links.calendar).toBe('https://mw.example.net/api/v1/calendar.ics');
    const half = { SLACK_BOT_TOKEN: 'xoxb-1' };
    expect(() => loadConfig(notifierConfigFor(half), half)).toThrow(/^Invalid configuration \(1 problem\):\n {2}SLACK_CHANNEL: missing$/);
    const both = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_CHANNEL: 'C1', NOTIFIER_CONSOLE: 'true' };
    expect([...routingOf(loadConfig(notifierConfigFor(both), both)).destinations.keys()]).toEqual(['slack-bot', 'console']);
  });
});
