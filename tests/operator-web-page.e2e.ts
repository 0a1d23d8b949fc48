// The operator web page in a real browser (Debian's Chromium driven by playwright-core) against
// the built maintenance-api, a real nats-server and PostgreSQL: an operator signs in, sees a
// maintenance arrive live when its notice is taken in, acknowledges it, adds a note, reprocesses
// an unparsed notice; a read-only token sees but cannot act. A screenshot of each page goes to
// test-output/web/ (gitignored).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SUBJECTS } from '@maintwatch/contracts';
import { nowSeconds, parsedMessage, publishParsed } from '../apps/maintenance-api/e2e-support/maintenance-api.harness';
import { startApiStack, until, type ApiStack } from '../apps/maintenance-api/src/api/testing/api-e2e.harness';

jest.setTimeout(180_000);

const root = join(__dirname, '..');
const shots = join(root, 'test-output/web');
const CHROMIUM = '/usr/bin/chromium';

describe('operator web page - in Chromium against the real API', () => {
  let s: ApiStack;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ensure-services.sh (installs Debian's chromium)`);
    execFileSync(process.execPath, [join(root, 'tools/build-web.mjs')], { cwd: root, stdio: 'inherit' });
    mkdirSync(shots, { recursive: true });
    s = await startApiStack({ WEB_DIR: join(root, 'dist/apps/web') });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (!s) return;
    // A page still following the live feed does not hold up the service's shutdown.
    const open = await fetch(`${s.api.url}/api/v1/live/events`, { headers: { authorization: `Bearer ${s.readToken}` } });
    expect(open.status).toBe(200);
    expect(open.headers.get('content-type')).toContain('text/event-stream');
    const reader = open.body!.getReader();
    const drained = (async () => {
      while (!(await reader.read().catch(() => ({ done: true }))).done);
    })();
    const started = Date.now();
    const code = await s.stop();
    if (code !== 0) console.log(s.api.output().slice(-4000));
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    await drained;
  });

  async function signIn(token: string, width = 1280): Promise<Page> {
    // An operator in Berlin: windows show in their zone and in UTC.
    const page = await browser.newPage({ viewport: { width, height: 900 }, timezoneId: 'Europe/Berlin' });
    await page.goto(s.api.url + '/');
    await page.getByLabel('API token').fill(token);
    // Submitted from the keyboard.
    await page.getByLabel('API token').press('Enter');
    await page.getByRole('heading', { name: 'Now and next' }).waitFor();
    return page;
  }

  it('serving - the page under /, its assets cached, page paths fall back to it, /api keeps its 404', async () => {
    const index = await fetch(`${s.api.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${s.api.url}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(js.headers.get('content-type')).toContain('javascript');
    // Read to the end: a body left unread keeps its socket open after the suite (Jest then
    // force-exits the worker: "A worker process has failed to exit gracefully").
    expect((await js.text()).length).toBeGreaterThan(1000);
    const deep = await fetch(`${s.api.url}/maintenances/0b5f2b1e-6a3e-4c55-9d5e-3f1a2b3c4d5e`, { headers: { accept: 'text/html' } });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toBe(html);
    const api = await fetch(`${s.api.url}/api/v1/nothing-here`, { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('json');
    expect(((await api.json()) as { statusCode?: number }).statusCode).toBe(404);
    // The token never goes in the page's own URLs: the live feed refuses ?token=.
    const byQuery = await fetch(`${s.api.url}/api/v1/live/events?token=${s.readToken}`);
    expect(byQuery.status).toBe(401);
    await byQuery.arrayBuffer();
  });

  it('operator - signs in, sees a maintenance arrive live, acknowledges it and adds a note', async () => {
    const page = await signIn(s.writeToken);
    await page.getByTestId('live-state').filter({ hasText: 'live' }).waitFor();
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
    await page.screenshot({ path: join(shots, 'now-next-empty.png'), fullPage: true });

    // The notice's maintenance is taken in by the API's intake, as the parser sends it.
    const start = nowSeconds() + 2 * 3600;
    // With a backup timeslot a week later, as BSO notices name one.
    const backup = { start: start + 7 * 24 * 3600, end: start + 7 * 24 * 3600 + 3600, label: 'backup' as const };
    await publishParsed(s.bus, parsedMessage('WEB-LIVE-1', { start, end: start + 3600, summary: 'Fibre repair Frankfurt' }, { alternateWindows: [backup] }));
    const card = page.getByTestId('maintenance-card').filter({ hasText: 'WEB-LIVE-1' });
    await card.waitFor({ timeout: 30_000 });
    expect(await page.locator('#within-24h').textContent()).toContain('(1)');
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await expect(card.textContent()).resolves.toContain('not acknowledged');
    const local = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(start * 1000));
    const utc = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(start * 1000));
    await expect(card.textContent()).resolves.toContain(local);
    await expect(card.textContent()).resolves.toContain(`${utc} UTC`);
    await expect(page.getByText('Times in your zone (Europe/Berlin) and in UTC.').count()).resolves.toBe(1);
    await page.screenshot({ path: join(shots, 'now-next.png'), fullPage: true });

    await card.getByRole('link', { name: /WEB-LIVE-1/ }).click();
    await page.getByRole('heading', { name: /WEB-LIVE-1/ }).waitFor();
    expect(await page.getByTestId('ack-state').textContent()).toBe('Not acknowledged');
    const history = page.getByRole('region', { name: 'Windows history' }).getByRole('listitem');
    await expect(history.count()).resolves.toBe(2);
    await expect(history.nth(0).textContent()).resolves.not.toContain('Backup timeslot');
    const backupUtc = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(backup.start * 1000));
    await expect(history.nth(1).textContent()).resolves.toMatch(new RegExp(`^Backup timeslot: .*${backupUtc.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} UTC`));
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByTestId('ack-state').filter({ hasText: 'Acknowledged by spec-writer' }).waitFor();
    await page.getByLabel('New note').fill('Customer informed, traffic moved to the backup path');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByTestId('notes').filter({ hasText: 'Customer informed, traffic moved to the backup path' }).waitFor();
    // The junos-gateway drains the circuit: its step shows on the open page, live, with the diff.
    await expect(page.getByRole('region', { name: 'Device drain' }).textContent()).resolves.toContain('No circuit of this maintenance is bound to a device.');
    const diff = '[edit protocols bgp group transit neighbor 192.0.2.1]\n+    community 65535:0;';
    await s.bus.publish(
      SUBJECTS.drainStep('drained'),
      { stepId: 'web-live-1:drained', step: 'drained', at: nowSeconds(), providerType: 'zayo', maintenanceId: 'WEB-LIVE-1', circuitId: 'CKT-WEB-LIVE-1', device: 'edge1.fra', method: 'graceful-shutdown', dryRun: false, state: 'drained', detail: 'graceful-shutdown community on 192.0.2.1, confirmed', diff, window: { start, end: start + 3600 } },
      { msgId: 'web-live-1:drained' },
    );
    const drainRow = page.getByTestId('drains').getByRole('row').filter({ hasText: 'CKT-WEB-LIVE-1' });
    await drainRow.waitFor({ timeout: 30_000 });
    await expect(drainRow.getByRole('cell').allTextContents()).resolves.toEqual(expect.arrayContaining(['edge1.fra', 'graceful-shutdown', 'drained']));
    await drainRow.getByText('Configuration diff').click();
    await expect(drainRow.locator('pre').textContent()).resolves.toBe(diff);
    await page.screenshot({ path: join(shots, 'maintenance.png'), fullPage: true });

    // What the page showed is what the API stored.
    const id = /\/maintenances\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
    const detail = (await (await fetch(`${s.api.url}/api/v1/maintenances/${id}`, { headers: { authorization: `Bearer ${s.readToken}` } })).json()) as { acknowledged?: { by: string }; notes: { text: string }[] };
    expect(detail.acknowledged?.by).toBe('spec-writer');
    expect(detail.notes.map((n) => n.text)).toContain('Customer informed, traffic moved to the backup path');

    await page.getByRole('link', { name: 'Calendar' }).click();
    await page.locator('.fc-event').filter({ hasText: 'WEB-LIVE-1' }).first().waitFor();
    await page.screenshot({ path: join(shots, 'calendar.png'), fullPage: true });
    const feed = await page.getByTestId('ics-link').getAttribute('href');
    expect(feed).toContain(`/api/v1/calendar.ics?token=${s.writeToken}`);
    await page.getByRole('link', { name: 'Circuits' }).click();
    await page.getByRole('cell', { name: 'CKT-WEB-LIVE-1' }).waitFor();
    // The CSV import puts the circuit in a redundancy group.
    await page.getByLabel(/CSV file/).setInputFiles({ name: 'circuits.csv', mimeType: 'text/csv', buffer: Buffer.from('provider,circuit_id,redundancy_group\nzayo,CKT-WEB-LIVE-1,fra-transit\n') });
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('status').filter({ hasText: '0 created, 1 updated, 0 failed' }).waitFor();
    await page.getByText('fra-transit: 1 circuits').waitFor();
    await page.screenshot({ path: join(shots, 'circuits.png'), fullPage: true });
    await page.close();
  });

  it('operator - reprocesses an unparsed notice from the page', async () => {
    const noticeId = `imap-spec:web-unparsed-${process.pid}@noc.example.net`;
    const body = Buffer.from(`From: noc@zayo.com\r\nSubject: Zayo notice\r\nMessage-ID: <web-unparsed-${process.pid}@noc.example.net>\r\n\r\nnothing a parser can read\r\n`);
    await s.bus.publishRawNotice({ noticeId, source: 'imap-spec', receivedAt: nowSeconds(), attempt: 1, correlationId: 'corr-web-1', sender: 'noc@zayo.com', subject: 'Zayo notice' }, body);
    await s.bus.publish(SUBJECTS.noticeUnparsed, { noticeId, attempt: 1, providerType: 'zayo', sender: 'noc@zayo.com', subject: 'Zayo notice', reasons: ['no maintenance found in the HTML'] }, { msgId: `${noticeId}#1/unparsed` });
    await until(async () => {
      const r = await fetch(`${s.api.url}/api/v1/notices/unparsed`, { headers: { authorization: `Bearer ${s.readToken}` } });
      return ((await r.json()) as { items: unknown[] }).items.length === 1;
    }, 15_000, 'unparsed notice stored');
    const page = await signIn(s.writeToken);
    await page.getByRole('link', { name: 'Unparsed' }).click();
    const record = page.getByTestId('notice-record').filter({ hasText: 'no maintenance found in the HTML' });
    await record.waitFor();
    await page.screenshot({ path: join(shots, 'notices.png'), fullPage: true });
    await record.getByRole('button', { name: 'Reprocess Zayo notice' }).click();
    await page.getByRole('status').filter({ hasText: `${noticeId} sent to the parser again (attempt 2)` }).waitFor();
    const detail = (await (await fetch(`${s.api.url}/api/v1/notices/${encodeURIComponent(noticeId)}`, { headers: { authorization: `Bearer ${s.readToken}` } })).json()) as { attempt: number };
    expect(detail.attempt).toBe(2);
    await page.close();
  });

  it('read-only - a read token sees the pages but has no actions, and the API refuses its writes', async () => {
    const page = await signIn(s.readToken, 390);
    const card = page.getByTestId('maintenance-card').filter({ hasText: 'WEB-LIVE-1' });
    await card.waitFor();
    await page.screenshot({ path: join(shots, 'now-next-phone.png'), fullPage: true });
    // Opened from the keyboard.
    await card.getByRole('link', { name: /WEB-LIVE-1/ }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('ack-state').waitFor();
    expect(await page.getByRole('button', { name: /Acknowledge|Remove acknowledgement/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add note' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Unparsed' }).click();
    await page.getByRole('heading', { name: 'Unparsed and ignored notices' }).waitFor();
    expect(await page.getByRole('button', { name: /Reprocess/ }).count()).toBe(0);
    // Even forged from the page, a write with this token is refused.
    const status = await page.evaluate(async (t) => (await fetch(`/api/v1/notices/unparsed/reprocess`, { method: 'POST', headers: { authorization: `Bearer ${t}` } })).status, s.readToken);
    expect(status).toBe(403);
    await page.close();
  });
});
