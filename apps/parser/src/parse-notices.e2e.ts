// A raw notice published on notice.received.v1 comes out of the parser service as
// maintenance.parsed.v1 (one per maintenance), notice.unparsed.v1 or notice.ignored.v1,
// through a real nats-server; replicas share one durable consumer, and a parser killed
// mid-stream loses nothing and doubles nothing.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { CONSUMERS, SUBJECTS, type MaintenanceParsed, type NoticeIgnored, type NoticeUnparsed } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';
import { buildApp, startApp, startNats, testNamespace, until, type AppProcess, type NatsServerHandle } from '@maintwatch/testing';

jest.setTimeout(120_000);

const bcopMail = (id: string, opts: { from?: string; padding?: number; events?: number } = {}) => {
  const events = Array.from({ length: opts.events ?? 1 }, (_, i) =>
    [
      'BEGIN:VEVENT',
      `UID:${id}-${i}@maint.example.net`,
      'DTSTAMP:20261101T120000Z',
      `DTSTART:2026120${1 + i}T020000Z`,
      `DTEND:2026120${1 + i}T060000Z`,
      'SEQUENCE:0',
      `SUMMARY:Maintenance ${id}`,
      'ORGANIZER:mailto:noc@maint.example.net',
      'X-MAINTNOTE-PROVIDER:example.net',
      'X-MAINTNOTE-ACCOUNT:ACCT-77',
      `X-MAINTNOTE-MAINTENANCE-ID:${id}${i ? `-${i}` : ''}`,
      `X-MAINTNOTE-OBJECT-ID:CKT-${id}-A`,
      'X-MAINTNOTE-IMPACT:OUTAGE',
      'X-MAINTNOTE-STATUS:CONFIRMED',
      'END:VEVENT',
    ].join('\r\n'),
  );
  const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Example//Maint//EN', 'METHOD:PUBLISH', ...events, 'END:VCALENDAR'].join('\r\n');
  return Buffer.from(
    [
      `From: Example NOC <${opts.from ?? 'noc@maint.example.net'}>`,
      'To: ops@customer.example.org',
      `Subject: Planned maintenance ${id}`,
      'Date: Sun, 01 Nov 2026 12:00:00 +0000',
      `Message-ID: <${id}@maint.example.net>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Planned maintenance ${id}.`,
      opts.padding ? 'x'.repeat(opts.padding) : '',
      '--b1',
      'Content-Type: text/calendar; charset=utf-8; method=PUBLISH',
      `Content-Disposition: attachment; filename="${id}.ics"`,
      '',
      ics,
      '--b1--',
      '',
    ].join('\r\n'),
  );
};

const plainMail = (id: string, from: string, body: string) =>
  Buffer.from(`From: ${from}\r\nSubject: ${id}\r\nDate: Sun, 01 Nov 2026 12:00:00 +0000\r\nMessage-ID: <${id}@x.example>\r\n\r\n${body}\r\n`);

interface Outputs {
  parsed: MaintenanceParsed[];
  unparsed: NoticeUnparsed[];
  ignored: NoticeIgnored[];
}

async function readOutputs(bus: Bus): Promise<Outputs> {
  const jsm = await jetstreamManager(bus.nc);
  const out: Outputs = { parsed: [], unparsed: [], ignored: [] };
  for (const key of ['MAINTENANCE', 'NOTICES'] as const) {
    const stream = bus.ns.stream(key);
    const { state } = await jsm.streams.info(stream);
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (!m) continue;
      const subject = bus.ns.unsubject(m.subject);
      if (subject === SUBJECTS.maintenanceParsed) out.parsed.push(m.json());
      if (subject === SUBJECTS.noticeUnparsed) out.unparsed.push(m.json());
      if (subject === SUBJECTS.noticeIgnored) out.ignored.push(m.json());
    }
  }
  return out;
}

describe('parser service - parse notices', () => {
  let nats: NatsServerHandle;
  let bus: Bus;
  let ns: string;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    buildApp('parser');
    nats = await startNats();
  });
  beforeEach(async () => {
    ns = testNamespace();
    bus = await Bus.connect({ servers: nats.url, name: 'parser-e2e', namespace: ns });
    await bus.provision();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.stop()));
    await bus.close();
  });
  afterAll(async () => {
    await nats.stop();
  });

  const publish = (id: string, raw: Buffer) =>
    bus.publishRawNotice({ noticeId: `e2e:${id}`, source: 'e2e', receivedAt: 1_790_000_000, attempt: 1, correlationId: `corr-${id}` }, raw);

  it('raw -> parsed, unparsed and ignored', async () => {
    apps.push(await startApp('parser', { NATS_URL: nats.url, NATS_NAMESPACE: ns }));
    await publish('bcop-1', bcopMail('MX-1001', { events: 2 }));
    await publish('newsletter', plainMail('newsletter', 'news@shop.example.com', 'Our spring sale!'));
    // a BCOP notice without its maintenance id: a notice, but not a usable one
    await publish('bcop-broken', Buffer.from(bcopMail('MX-3003').toString().replace(/X-MAINTNOTE-MAINTENANCE-ID:[^\r]*\r\n/, '')));
    await publish('not-mail', Buffer.from('\u0000\u0001 binary junk'));
    // over max_payload: travels through the object store
    await publish('bcop-big', bcopMail('MX-2002', { padding: 2 * 1024 * 1024 }));

    await until(async () => {
      const o = await readOutputs(bus);
      return o.parsed.length === 3 && o.unparsed.length === 2 && o.ignored.length === 1;
    }, 30_000, 'all notices handled');
    const o = await readOutputs(bus);
    const ids = o.parsed.map((p) => p.maintenance.maintenance_id).sort();
    expect(ids).toEqual(['MX-1001', 'MX-1001-1', 'MX-2002']);
    const first = o.parsed.find((p) => p.maintenance.maintenance_id === 'MX-1001')!;
    expect(first).toMatchObject({ noticeId: 'e2e:bcop-1', attempt: 1, count: 2, providerType: 'genericprovider' });
    expect(first.maintenance).toMatchObject({ account: 'ACCT-77', status: 'CONFIRMED', start: Date.UTC(2026, 11, 1, 2) / 1000, circuits: [{ circuit_id: 'CKT-MX-1001-A', impact: 'OUTAGE' }] });
    expect(o.ignored[0]).toMatchObject({ noticeId: 'e2e:newsletter', sender: 'news@shop.example.com' });
    const broken = o.unparsed.find((u) => u.noticeId === 'e2e:bcop-broken')!;
    expect(broken.providerType).toBe('genericprovider');
    expect(broken.reasons.join(' ')).toMatch(/maintenance.?id/i);
    expect(o.unparsed.find((u) => u.noticeId === 'e2e:not-mail')!.reasons.join(' ')).toMatch(/header|mail|MIME/i);

    const metrics = await (await fetch(`${apps[0].url}/metrics`)).text();
    expect(metrics).toMatch(/maintwatch_parser_notices_total\{[^}]*provider="genericprovider"[^}]*outcome="parsed"[^}]*\} 2/);
    expect(metrics).toContain('maintwatch_parser_parse_seconds_bucket');
  });

  it('two replicas on one durable consumer, one killed mid-stream: nothing lost, nothing doubled', async () => {
    // The killed replica's notices come back after the ack wait: short here, 60 s by default.
    const env = { NATS_URL: nats.url, NATS_NAMESPACE: ns, PARSER_CONCURRENCY: '2', PARSER_ACK_WAIT_MS: '3000' };
    const a = await startApp('parser', env);
    apps.push(a);
    // The survivor runs with a V8 flag as an operator may set one (its parse workers inherit the
    // process's flags: a V8 flag passed to a worker explicitly would stop the replica at start).
    apps.push(await startApp('parser', env, 20_000, ['--max-semi-space-size=16']));
    const n = 40;
    for (let i = 0; i < n; i++) await publish(`r-${i}`, bcopMail(`MR-${i}-${randomBytes(2).toString('hex')}`));
    await until(async () => (await readOutputs(bus)).parsed.length >= 5, 30_000, 'some parsed');
    a.child.kill('SIGKILL');
    await until(async () => (await readOutputs(bus)).parsed.length >= n, 60_000, 'all parsed');
    // Every message acknowledged by the surviving replica: what the killed one held has been
    // redelivered and handled, so no further output can come (a second parse would show here).
    const jsm = await jetstreamManager(bus.nc);
    await until(async () => {
      const info = await jsm.consumers.info(bus.ns.stream('NOTICES'), CONSUMERS.parserNotices);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, 60_000, 'the parser consumer idle');
    const o = await readOutputs(bus);
    const notices = o.parsed.map((p) => p.noticeId);
    expect(new Set(notices).size).toBe(n);
    expect(notices).toHaveLength(n);
  });

  it('a hostile notice is abandoned at PARSER_TIMEOUT_MS and recorded unparsed while other notices keep flowing', async () => {
    // Two workers: the hostile mail holds one of them until its deadline, the other parses the rest.
    apps.push(
      await startApp('parser', { NATS_URL: nats.url, NATS_NAMESPACE: ns, PARSER_CONCURRENCY: '4', PARSER_WORKERS: '2', PARSER_TIMEOUT_MS: '2000', PARSER_WORKER_MEMORY_MB: '4096', PARSER_MAX_PART_BYTES: String(1024 ** 3) }),
    );
    // 200,000 events: linear to parse but many seconds of it (and ~50 MB: through the object store).
    await publish('hostile', Buffer.from(bcopMail('MH-1').toString().replace('END:VCALENDAR', hostileEvents(200_000) + 'END:VCALENDAR')));
    for (let i = 0; i < 5; i++) await publish(`after-${i}`, bcopMail(`MA-${i}`));
    await until(async () => (await readOutputs(bus)).unparsed.some((u) => u.noticeId === 'e2e:hostile'), 60_000, 'hostile notice recorded');
    const o = await readOutputs(bus);
    const hostile = o.unparsed.find((u) => u.noticeId === 'e2e:hostile');
    expect(hostile?.reasons).toEqual(['parse abandoned after 2000 ms (PARSER_TIMEOUT_MS): the mail takes too long to parse']);
    expect(o.parsed.map((p) => p.maintenance.maintenance_id).sort()).toEqual(['MA-0', 'MA-1', 'MA-2', 'MA-3', 'MA-4']);
    const metrics = await (await fetch(`${apps[0].url}/metrics`)).text();
    expect(metrics).toMatch(/maintwatch_parser_abandoned_total\{reason="timeout"[^}]*\} 1\n/);
    // The replica is still whole: a notice published now parses, and one that ingest cut to its
    // header block (over INGEST_MAX_MAIL_BYTES) is recorded unparsed with its size.
    await publish('later', bcopMail('ML-1'));
    await bus.publishRawNotice(
      { noticeId: 'e2e:truncated', source: 'e2e', receivedAt: 1_790_000_000, attempt: 1, correlationId: 'corr-t', truncatedFrom: 80_000_000 },
      Buffer.from('From: noc@maint.example.net\r\nSubject: Huge\r\n\r\n'),
    );
    await until(async () => (await readOutputs(bus)).parsed.some((p) => p.maintenance.maintenance_id === 'ML-1'), 30_000, 'later notice parsed');
    await until(async () => (await readOutputs(bus)).unparsed.some((u) => u.noticeId === 'e2e:truncated'), 30_000, 'truncated notice recorded');
    // A BSO notice with a backup timeslot: the backup travels beside the 12-key record.
    await publish('bso-backup', readFileSync(join(__dirname, '../../../libs/providers/fixtures/bso/reminder-backup-timeslot.eml')));
    await until(async () => (await readOutputs(bus)).parsed.some((p) => p.noticeId === 'e2e:bso-backup'), 30_000, 'BSO notice parsed');
    const bso = (await readOutputs(bus)).parsed.find((p) => p.noticeId === 'e2e:bso-backup');
    expect(bso?.alternateWindows).toEqual([{ start: expect.any(Number), end: expect.any(Number), label: 'backup' }]);
    expect(bso?.alternateWindows?.[0].start).toBeGreaterThan(bso?.maintenance.start ?? Infinity);
    expect((await readOutputs(bus)).unparsed.find((u) => u.noticeId === 'e2e:truncated')?.reasons[0]).toMatch(
      /^mail of 80000000 bytes is over ingest's size limit \(INGEST_MAX_MAIL_BYTES\): only its header block was kept/,
    );
  });
});

function hostileEvents(n: number): string {
  const event =
    'BEGIN:VEVENT\r\nUID:h\r\nDTSTAMP:20261101T120000Z\r\nDTSTART:20261208T000000Z\r\nDTEND:20261208T010000Z\r\nSUMMARY:x\r\n' +
    'X-MAINTNOTE-PROVIDER:example.net\r\nX-MAINTNOTE-ACCOUNT:a\r\nX-MAINTNOTE-MAINTENANCE-ID:h\r\nX-MAINTNOTE-OBJECT-ID:c\r\n' +
    'X-MAINTNOTE-IMPACT:OUTAGE\r\nX-MAINTNOTE-STATUS:CONFIRMED\r\nEND:VEVENT\r\n';
  return event.repeat(n);
}
