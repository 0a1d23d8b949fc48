// The whole chain, every service a separate process on real NATS, PostgreSQL and Dovecot:
// a provider notice appended to the mailbox becomes exactly one Slack message, carrying the
// correlation id ingest gave the notice. Then each service is SIGKILLed in turn while more
// notices arrive: every notice is accounted for, and no message is posted twice.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import {
  buildApp,
  startApp,
  startDovecot,
  startFakeSlack,
  startNats,
  testDatabase,
  testNamespace,
  until,
  type AppName,
  type AppProcess,
  type DovecotHandle,
  type FakeSlack,
  type NatsServerHandle,
  type TestDatabase,
} from '@maintwatch/testing';

jest.setTimeout(300_000);

const CHANNEL = 'C0MAINT';
const fixture = readFileSync(join(__dirname, '..', 'libs', 'providers', 'fixtures', 'ntt', 'scheduled.eml'), 'utf8');

/** The NTT notice with its own ticket (same length, so iCalendar folding stays valid) and a future window. */
function notice(n: number): { raw: string; ticket: string } {
  const ticket = `VNOC-1-${String(n).padStart(11, '0')}`;
  const raw = fixture
    .split('VNOC-1-31400027182')
    .join(ticket)
    .split('20241015T0')
    .join('20271015T0');
  return { raw, ticket };
}

describe('mail to Slack - the whole chain', () => {
  let nats: NatsServerHandle;
  let db: TestDatabase;
  let dovecot: DovecotHandle;
  let slack: FakeSlack;
  const ns = testNamespace();
  const procs = new Map<AppName, AppProcess>();
  let env: Record<AppName, Record<string, string>>;

  const start = async (app: AppName) => procs.set(app, await startApp(app, env[app], 30_000));
  const messagesFor = (ticket: string) => slack.messages(CHANNEL).filter((m) => JSON.stringify(m).includes(ticket));

  beforeAll(async () => {
    for (const app of ['ingest', 'parser', 'maintenance-api', 'notifier'] as const) buildApp(app);
    [nats, db, dovecot, slack] = await Promise.all([
      startNats(),
      testDatabase(),
      startDovecot({ users: [{ user: 'noc', pass: 'noc-secret' }] }),
      startFakeSlack({ channels: [CHANNEL] }),
    ]);
    const sources = join(mkdtempSync(join(tmpdir(), 'mw-chain-')), 'sources.json');
    writeFileSync(
      sources,
      JSON.stringify({
        sources: [{ name: 'noc', type: 'imap', host: dovecot.host, port: dovecot.port, security: 'none', user: 'noc', passwordEnv: 'IMAP_NOC_PASSWORD' }],
      }),
    );
    const base = { NATS_URL: nats.url, NATS_NAMESPACE: ns };
    env = {
      ingest: { ...base, INGEST_SOURCES_FILE: sources, IMAP_NOC_PASSWORD: 'noc-secret' },
      parser: { ...base, PARSER_ACK_WAIT_MS: '3000' },
      'maintenance-api': { ...base, DATABASE_URL: db.url },
      notifier: { ...base, SLACK_BOT_TOKEN: slack.token, SLACK_CHANNEL: CHANNEL, SLACK_API_URL: slack.apiUrl },
      'junos-gateway': base,
    };
    await Promise.all((['maintenance-api', 'parser', 'notifier', 'ingest'] as const).map(start));
  });

  afterAll(async () => {
    await Promise.all([...procs.values()].map((p) => p.stop()));
    await slack?.close();
    await dovecot?.stop();
    await db?.drop();
    await nats?.stop();
  });

  it('a notice in the mailbox becomes exactly one Slack message with the correlation id from ingest', async () => {
    const { raw, ticket } = notice(1);
    await dovecot.appendMail('noc', 'INBOX', raw);
    await until(() => messagesFor(ticket).length > 0, 60_000, 'the Slack message');
    // A second notice after it: once its message is in, a repeat of the first would be too
    // (one destination is posted to in the order of the events).
    const sentinel = notice(2);
    await dovecot.appendMail('noc', 'INBOX', sentinel.raw);
    await until(() => messagesFor(sentinel.ticket).length > 0, 60_000, 'the sentinel message');
    const posted = messagesFor(ticket);
    expect(posted).toHaveLength(1);

    // The correlation id ingest put on the raw notice is the one on the Slack message (the
    // sentinel's: its notice is the last one stored).
    const nc = await connect({ servers: nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      const stored = await jsm.streams.getMessage(`${ns}_NOTICES`, { last_by_subj: `${ns}.notice.received.v1` });
      const correlationId = stored!.header.get('Maintwatch-Correlation-Id');
      expect(correlationId).toBeTruthy();
      expect(messagesFor(sentinel.ticket)[0].metadata?.event_payload['correlation_id']).toBe(correlationId);
      expect(posted[0].metadata?.event_payload['correlation_id']).not.toBe(correlationId);
    } finally {
      await nc.close();
    }
  });

  it('each service SIGKILLed in turn while notices arrive: every notice accounted for, no duplicate message', async () => {
    const tickets: string[] = [];
    let n = 100;
    for (const victim of ['ingest', 'parser', 'maintenance-api', 'notifier'] as const) {
      for (let i = 0; i < 3; i++) {
        const { raw, ticket } = notice(n++);
        tickets.push(ticket);
        await dovecot.appendMail('noc', 'INBOX', raw);
      }
      procs.get(victim)!.child.kill('SIGKILL');
      await procs.get(victim)!.stop();
      const { raw, ticket } = notice(n++);
      tickets.push(ticket);
      await dovecot.appendMail('noc', 'INBOX', raw);
      await start(victim);
    }
    await until(() => tickets.every((t) => messagesFor(t).length > 0), 120_000, 'a message for every notice');
    const sentinel = notice(n++);
    await dovecot.appendMail('noc', 'INBOX', sentinel.raw);
    await until(() => messagesFor(sentinel.ticket).length > 0, 60_000, 'the sentinel message');
    const counts = Object.fromEntries(tickets.map((t) => [t, messagesFor(t).length]));
    expect(Object.values(counts).every((c) => c === 1)).toBe(true);
    // The first test's two messages, these, and the sentinel.
    expect(slack.messages(CHANNEL)).toHaveLength(tickets.length + 3);
  });
});
