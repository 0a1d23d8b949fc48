import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInRegistry, parseMail } from '@maintwatch/providers';
import { ParsePool, ParsePoolUnavailableError, type AbandonReason } from './parse-pool';

const FIXTURES = join(__dirname, '../../../../libs/providers/fixtures');

/** A BCOP calendar with `events` events: linear to parse, but slow and heavy when large. */
function bigCalendar(events: number): Buffer {
  const event =
    'BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20261208T000000Z\r\nDTEND:20261208T010000Z\r\nSUMMARY:x\r\nX-MAINTNOTE-PROVIDER:ntt\r\n' +
    'X-MAINTNOTE-ACCOUNT:a\r\nX-MAINTNOTE-MAINTENANCE-ID:m\r\nX-MAINTNOTE-OBJECT-ID:c\r\nX-MAINTNOTE-IMPACT:OUTAGE\r\n' +
    'X-MAINTNOTE-STATUS:CONFIRMED\r\nEND:VEVENT\r\n';
  return Buffer.from(
    'From: noc@ntt.net\r\nTo: ops@example.net\r\nSubject: Planned maintenance\r\nDate: Mon, 7 Dec 2026 06:00:00 +0000\r\n' +
      'Message-ID: <big@example.net>\r\nMIME-Version: 1.0\r\nContent-Type: text/calendar; charset=utf-8\r\n\r\n' +
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\n' + event.repeat(events) + 'END:VCALENDAR\r\n',
  );
}

describe(ParsePool.name, () => {
  const pools: ParsePool[] = [];
  const make = (options: { timeoutMs?: number; memoryMb?: number; workers?: number }, onAbandon?: (r: AbandonReason) => void) => {
    // The big calendars below are over the default part limit, which would skip them unread.
    const pool = new ParsePool(
      { workers: options.workers ?? 1, timeoutMs: options.timeoutMs ?? 60_000, memoryMb: options.memoryMb ?? 1024, maxPartBytes: 1024 * 1024 * 1024 },
      onAbandon,
    );
    pools.push(pool);
    return pool;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });

  it('parse - gives what parseMail gives in the main thread', async () => {
    const raw = readFileSync(join(FIXTURES, 'aws/cancelled-html.eml'));
    const expected = await parseMail(raw, { registry: builtInRegistry() });
    const pool = make({ workers: 2 });
    const [a, b] = await Promise.all([pool.parse(raw), pool.parse(raw)]);
    expect(a).toEqual(expected);
    expect(b).toEqual(expected);
    expect(expected.kind).toBe('parsed');
  });

  it('parse - abandons a mail that outlasts the timeout, and the next mail still parses', async () => {
    const abandoned: AbandonReason[] = [];
    // 100,000 events take seconds to parse; the limit is a small fraction of that.
    const pool = make({ timeoutMs: 300, memoryMb: 4096 }, (r) => abandoned.push(r));
    const hostile = pool.parse(bigCalendar(100_000), 'ntt');
    const normal = readFileSync(join(FIXTURES, 'aws/cancelled-html.eml'));
    const after = pool.parse(normal);
    const outcome = await hostile;
    expect(outcome).toEqual({
      kind: 'unparsed',
      providerType: 'ntt',
      reasons: ['parse abandoned after 300 ms (PARSER_TIMEOUT_MS): the mail takes too long to parse'],
      attempts: [],
    });
    expect(abandoned).toEqual(['timeout']);
    expect((await after).kind).toBe('parsed');
  });

  it('parse - abandons a mail that needs more heap than the worker may have', async () => {
    const abandoned: AbandonReason[] = [];
    const pool = make({ memoryMb: 48 }, (r) => abandoned.push(r));
    const outcome = await pool.parse(bigCalendar(100_000));
    expect(outcome.kind).toBe('unparsed');
    expect(outcome.kind === 'unparsed' && outcome.reasons[0]).toBe('parse abandoned: the mail needs more than 48 MB of heap (PARSER_WORKER_MEMORY_MB)');
    expect(abandoned).toEqual(['memory']);
    const normal = await pool.parse(readFileSync(join(FIXTURES, 'aws/cancelled-html.eml')));
    expect(normal.kind).toBe('parsed');
  });

  it('setOverrides - workers parse with the operators\' provider table', async () => {
    const raw = readFileSync(join(FIXTURES, 'aws/cancelled-html.eml'));
    const pool = make({});
    expect((await pool.parse(raw)).kind).toBe('parsed');
    pool.setOverrides([{ type: 'aws', enabled: false }]);
    const outcome = await pool.parse(raw);
    expect(outcome.kind).not.toBe('parsed');
    expect(outcome.providerType).not.toBe('aws');
  });

  it('close - rejects mails still waiting, to be redelivered', async () => {
    const pool = make({ timeoutMs: 60_000, memoryMb: 4096 });
    const running = expect(pool.parse(bigCalendar(50_000))).rejects.toBeInstanceOf(ParsePoolUnavailableError);
    const waiting = expect(pool.parse(bigCalendar(10))).rejects.toBeInstanceOf(ParsePoolUnavailableError);
    await pool.close();
    await waiting;
    await running;
    await expect(pool.parse(bigCalendar(1))).rejects.toThrow('the parse pool is closed');
  });
});
