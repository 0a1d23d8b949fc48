// `npm run import` (the built CLI) publishing an mbox, a Maildir and a folder of .eml files into a
// real nats-server exactly like a live source: a second run, after JetStream's duplicate window
// has passed, publishes nothing new because of ingest's seen-set.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, testNamespace } from '@maintwatch/testing';
import { mailId, noticeMail, NoticeReader } from '../fixtures/ingest.fixture';

jest.setTimeout(90_000);

const CLI = join(__dirname, '../../../../dist/apps/ingest/apps/ingest/src/cli/import.js');

function runImport(args: string[], env: Record<string, string>): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** An mbox as mail clients write it: "From " separator lines, LF line ends, ">From " quoting. */
function mbox(mails: Buffer[]): string {
  return mails
    .map((m) => `From noc@maint.example.net Sat Nov 21 10:00:00 2026\n${m.toString('latin1').replace(/\r\n/g, '\n').replace(/^(>*From )/gm, '>$1')}\n`)
    .join('');
}

describe('ingest - backfill (npm run import)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maintwatch-backfill-'));
  const readers: NoticeReader[] = [];
  beforeAll(() => buildApp('ingest'));
  afterAll(async () => {
    await Promise.all(readers.map((r) => r.stop()));
  });

  it('import - an mbox of 1,000 mails run twice, with the duplicate window passed in between, publishes 1,000', async () => {
    const ns = testNamespace();
    const env = { NATS_URL: process.env['NATS_URL'] ?? '', NATS_NAMESPACE: ns, NATS_DUPLICATE_WINDOW_MS: '300' };
    const ids = Array.from({ length: 1000 }, (_, i) => mailId(`mb${i}`));
    // One body line starts with "From ", which the mbox quotes and the import must unquote.
    const mails = ids.map((id) => noticeMail(id, { kb: 2, extraHeaders: ['X-Note: x'] }));
    mails[0] = Buffer.from(mails[0].toString('latin1').replace('MIME-Version', 'X-Quoted: yes\r\n\r\nFrom the NOC: hello\r\n\r\nMIME-Version'), 'latin1');
    const path = join(dir, 'export.mbox');
    writeFileSync(path, mbox(mails), 'latin1');

    const first = runImport([path, '--source', 'archive', '--quiet'], env);
    expect(first.out).toContain('read 1000, published 1000, already seen 0');
    expect(first.code).toBe(0);
    const notices = await NoticeReader.start(env.NATS_URL, ns);
    readers.push(notices);
    await notices.waitFor(1000);
    expect(new Set(notices.ids())).toEqual(new Set(ids.map((id) => `archive:${id}@maint.example.net`)));
    const quoted = await notices.read(notices.notices[notices.ids().indexOf(`archive:${ids[0]}@maint.example.net`)].stream);
    expect(Buffer.from(quoted.body).toString('latin1')).toContain('\r\nFrom the NOC: hello\r\n');

    // Past JetStream's duplicate window only the seen-set stands between a re-run and duplicates.
    await new Promise((r) => setTimeout(r, 600));
    const second = runImport([path, '--source', 'archive', '--quiet'], env);
    expect(second.out).toContain('read 1000, published 0, already seen 1000');
    expect(await notices.stored()).toBe(1000);
  });

  it('import - a Maildir and a folder of .eml files publish like a live source; --since skips older mail', async () => {
    const ns = testNamespace();
    const env = { NATS_URL: process.env['NATS_URL'] ?? '', NATS_NAMESPACE: ns };
    const maildir = join(dir, 'Maildir');
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    const recent = mailId('recent');
    const old = mailId('old');
    writeFileSync(join(maildir, 'new', '1700000000.1.host'), noticeMail(recent, { date: new Date('2026-11-01T10:00:00Z') }));
    writeFileSync(join(maildir, 'cur', '1600000000.1.host:2,S'), noticeMail(old, { date: new Date('2025-01-01T10:00:00Z') }));
    const emls = join(dir, 'emls');
    mkdirSync(join(emls, 'zayo'), { recursive: true });
    const eml = mailId('eml');
    const noId = noticeMail(mailId('noid'), { messageId: false });
    writeFileSync(join(emls, 'zayo', 'a.eml'), noticeMail(eml));
    writeFileSync(join(emls, 'b.eml'), noId);
    writeFileSync(join(emls, 'b-copy.eml'), noId);
    writeFileSync(join(emls, 'notes.txt'), 'not a mail');

    const fromMaildir = runImport([maildir, '--source', 'maildir', '--since', '2026-01-01', '--provider', 'zayo'], env);
    expect(fromMaildir.out).toContain('read 2, published 1, already seen 0, before --since 1');
    const fromEml = runImport([emls, '--source', 'eml'], env);
    expect(fromEml.out).toContain('read 3, published 2, already seen 1');
    expect(fromEml.code).toBe(0);
    const notices = await NoticeReader.start(env.NATS_URL, ns);
    readers.push(notices);
    await notices.waitFor(3);
    // Sorted: "eml:eml-..." < "eml:sha256:..." < "maildir:...".
    expect(notices.ids().sort()).toEqual([`eml:${eml}@maint.example.net`, expect.stringMatching(/^eml:sha256:[0-9a-f]{64}$/), `maildir:${recent}@maint.example.net`]);
    expect(await notices.stored()).toBe(3);
  });

  it('import - a path that is no mail source exits 1 with the reason; bad arguments exit 2', () => {
    const env = { NATS_URL: process.env['NATS_URL'] ?? '', NATS_NAMESPACE: testNamespace() };
    const missing = runImport([join(dir, 'nope.mbox')], env);
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/import failed: .*nope\.mbox/);
    expect(runImport([dir, '--since', 'yesterday-ish'], env).code).toBe(2);
    expect(runImport([dir, '--source', 'has space'], env).code).toBe(2);
  });
});
