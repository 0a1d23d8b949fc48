// The shipped on-box agent's exact bytes, end to end: the Python event script runs (with a
// stand-in for the Junos `junos` module that hands it a trigger event), signs and posts to the
// gateway; the gateway verifies, classifies and stores; its relay publishes on real NATS; the
// built notifier posts priority 1 with detail and priority 2 as a summary to the local Teams
// and Slack stand-ins, and nothing for priority 3.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { buildApp, sharedNatsUrl, startApp, startFakeSlack, startFakeTeams, until, type AppProcess, type FakeSlack, type FakeTeams } from '@maintwatch/testing';
import { SECRET, startGateway, type GatewayStack } from '../testing/gateway-harness';

jest.setTimeout(90_000);

const AGENT = join(__dirname, '..', '..', 'agent', 'maintwatch-webhook.py');

// Stands in for the on-box `junos` module: Junos_Trigger_Event is the trigger's XML document.
const JUNOS_STUB = `import os
import xml.etree.ElementTree as ET
Junos_Trigger_Event = ET.parse(os.environ["SPEC_TRIGGER_XML"]).getroot()
`;

const trigger = (id: string, process: string, message: string, seconds: number) => `<event-script-input xmlns:junos="http://xml.juniper.net/junos/23.4R1/junos">
  <trigger-event>
    <id>${id}</id>
    <type>syslog</type>
    <generation-time junos:seconds="${seconds}">2026-12-06 19:00:00 UTC</generation-time>
    <process><name>${process}</name><pid>2417</pid></process>
    <hostname>edge7.fra</hostname>
    <facility>daemon</facility>
    <severity>warning</severity>
    <message>${message}</message>
  </trigger-event>
</event-script-input>
`;

function runAgent(dir: string, xml: string, url: string, secretFile: string): Promise<{ code: number | null; out: string }> {
  const xmlPath = join(dir, `trigger-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(xmlPath, xml);
  return new Promise((resolve) => {
    const child = spawn('python3', [AGENT, '-url', `${url}/webhook/junos`, '-secret-file', secretFile], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PYTHONPATH: dir, SPEC_TRIGGER_XML: xmlPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('junos-gateway - a device event from the on-box agent reaches Teams and Slack', () => {
  let dir: string;
  let gw: GatewayStack;
  let notifier: AppProcess;
  let teams: FakeTeams;
  let slack: FakeSlack;
  let secretFile: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'agent-e2e-'));
    writeFileSync(join(dir, 'junos.py'), JUNOS_STUB);
    secretFile = join(dir, 'secret');
    writeFileSync(secretFile, `${SECRET}\n`);
    const priorities = join(dir, 'priorities.yaml');
    writeFileSync(priorities, yaml.dump({ default: 3, rules: [{ event: 'SNMP_TRAP_LINK_DOWN', priority: 1 }, { prefix: 'RPD_BGP_', priority: 2 }] }));
    [teams, slack] = await Promise.all([startFakeTeams(), startFakeSlack({ channels: ['C_NET'] })]);
    gw = await startGateway({ JUNOS_WEBHOOK_SECRETS: SECRET, JUNOS_PRIORITIES_FILE: priorities });
    const routes = join(dir, 'routes.yaml');
    writeFileSync(
      routes,
      yaml.dump({
        destinations: {
          teams: { type: 'teams', urlEnv: 'SPEC_TEAMS_URL', rateLimit: { perSecond: 50 } },
          slack: { type: 'slack-webhook', urlEnv: 'SPEC_SLACK_URL', rateLimit: { perSecond: 50 } },
        },
        routes: [{ name: 'devices', events: ['device-event'], destinations: ['teams', 'slack'] }],
      }),
    );
    buildApp('notifier');
    notifier = await startApp('notifier', {
      NATS_URL: sharedNatsUrl(),
      NATS_NAMESPACE: gw.ns,
      NOTIFIER_ROUTES_FILE: routes,
      SPEC_TEAMS_URL: teams.webhookUrl('net'),
      SPEC_SLACK_URL: slack.webhookUrl('C_NET'),
    });
    await until(async () => (await fetch(`${notifier.url}/readyz`)).status === 200, 20_000, 'notifier ready');
  });
  afterAll(async () => {
    await notifier?.stop();
    await gw?.stop();
    await Promise.all([teams?.close(), slack?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('priority 1: verified, classified, stored, published and posted with its detail', async () => {
    const seconds = Math.floor(Date.now() / 1000) - 3;
    const run = await runAgent(dir, trigger('SNMP_TRAP_LINK_DOWN', 'mib2d', 'ifIndex 526, ifAdminStatus up(1), ifOperStatus down(2), ifName xe-0/0/1', seconds), gw.url, secretFile);
    expect(run).toEqual({ code: 0, out: expect.stringContaining('-> 202') });

    const [row] = await gw.store.repos.deviceEvents.list({ limit: 1 });
    expect(row.event).toMatchObject({
      device: 'edge7.fra',
      junosEvent: 'SNMP_TRAP_LINK_DOWN',
      kind: 'interface-state',
      priority: 1,
      severity: 'critical',
      occurredAt: seconds,
      message: 'ifIndex 526, ifAdminStatus up(1), ifOperStatus down(2), ifName xe-0/0/1',
      attributes: { process: 'mib2d', scheme: 'timestamped' },
    });
    expect(row.eventKey).toMatch(/^id:[0-9a-f-]{36}$/);
    await until(async () => (await gw.store.repos.deviceEvents.list({ limit: 1 }))[0]?.publishedAt !== undefined, 15_000, 'published');

    await until(() => teams.posts('net').length >= 1 && slack.messages('C_NET').length >= 1, 20_000, 'posted to Teams and Slack');
    const card = JSON.stringify(teams.posts('net')[0].card);
    expect(card).toContain('SNMP_TRAP_LINK_DOWN on edge7.fra');
    expect(card).toContain('ifName xe-0/0/1');
    expect(card).toContain('mib2d');
    const msg = JSON.stringify(slack.messages('C_NET')[0]);
    expect(msg).toContain('SNMP_TRAP_LINK_DOWN on edge7.fra');
  });

  it('priority 2 is posted as a summary (no process detail), priority 3 is stored and not posted', async () => {
    const teamsBefore = teams.posts('net').length;
    const long = `BGP peer 192.0.2.1 (External AS 64500) changed state from Established to Idle (event RecvNotify) ${'x'.repeat(400)}`;
    const p2 = await runAgent(dir, trigger('RPD_BGP_NEIGHBOR_STATE_CHANGED', 'rpd', long, Math.floor(Date.now() / 1000)), gw.url, secretFile);
    const p3 = await runAgent(dir, trigger('UI_COMMIT_COMPLETED', 'mgd', 'commit complete', Math.floor(Date.now() / 1000)), gw.url, secretFile);
    expect([p2.code, p3.code]).toEqual([0, 0]);
    const rows = await gw.store.repos.deviceEvents.list({ limit: 2 });
    expect(rows.map((r) => [r.event.junosEvent, r.event.priority, r.event.kind])).toEqual([
      ['UI_COMMIT_COMPLETED', 3, 'commit'],
      ['RPD_BGP_NEIGHBOR_STATE_CHANGED', 2, 'bgp-state'],
    ]);
    await until(() => teams.posts('net').length >= teamsBefore + 1, 20_000, 'priority 2 posted');
    await until(async () => (await gw.store.repos.deviceEvents.list({ limit: 2 })).every((r) => r.publishedAt !== undefined), 15_000, 'both published');
    const card = JSON.stringify(teams.posts('net')[teamsBefore].card);
    expect(card).toContain('RPD_BGP_NEIGHBOR_STATE_CHANGED on edge7.fra');
    expect(card).toContain('BGP peer 192.0.2.1');
    expect(card).not.toContain('x'.repeat(350));
    expect(card).not.toContain('"rpd"');
    // Once the notifier's device-event consumer has acknowledged everything, priority 3 was
    // taken in and left without a message.
    const jsm = await gw.bus.jsm();
    await until(async () => {
      const info = await jsm.consumers.info(gw.bus.ns.stream('DEVICE'), 'notifier-device-events');
      return info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq >= 3;
    }, 15_000, 'notifier took every device event in');
    expect(teams.posts('net').map((p) => JSON.stringify(p.card)).some((c) => c.includes('UI_COMMIT_COMPLETED'))).toBe(false);
  });
});
