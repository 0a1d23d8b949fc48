import { LIFECYCLE_TYPES, type LifecycleType } from '@maintwatch/contracts';
import { TEAMS_MAX_PAYLOAD_BYTES, validateSlackMessage } from '@maintwatch/testing';
import { circuits, lifecycleEvent, unparsedNotice } from '../fixtures/lifecycle-events';
import { describe as contentOf, lifecycleNotification, unparsedNotification, type ContentOptions, type NotificationEvent } from './notification';
import { plainText } from './plain-text';
import { slackMessage, type Block } from './slack-message';
import { teamsMessage } from './teams-card';

const options: ContentOptions = {
  timezone: 'Europe/Paris',
  links: {
    maintenance: 'https://mw.example.net/api/v1/maintenances?provider={{providerType}}&maintenanceId={{maintenanceId}}',
    calendar: 'https://mw.example.net/api/v1/calendar.ics',
  },
  maxCircuits: 25,
  correlationId: 'corr-1234',
};

const slackText = (blocks: Block[]) => JSON.stringify(blocks);
const teamsText = (n: NotificationEvent, o: ContentOptions = options) => JSON.stringify(teamsMessage(contentOf(n, o)));

describe('Slack message', () => {
  it.each([...LIFECYCLE_TYPES])('%s - names provider, maintenance, status, impact and the window in UTC and local time, within Block Kit limits', (type: LifecycleType) => {
    const msg = slackMessage(contentOf(lifecycleNotification(lifecycleEvent(type)), options));
    expect(validateSlackMessage({ ...msg })).toBeUndefined();
    const text = slackText(msg.blocks);
    for (const s of ['Zayo', 'TTN-0001', 'OUTAGE', 'Window (UTC)', 'Window (Europe/Paris)', 'corr-1234', 'Open in Maintwatch', 'Calendar feed']) expect(text).toContain(s);
    expect(text).toContain(type === 'rescheduled' ? '2030-01-02 00:00–04:30 UTC' : '2030-01-01 00:00–04:30 UTC');
    expect(text).toContain(type === 'rescheduled' ? '2030-01-02 01:00–05:30 GMT+1' : '2030-01-01 01:00–05:30 GMT+1');
    expect(text).toContain('4h 30m');
    expect(msg.blocks[0]).toMatchObject({ type: 'header' });
  });

  it('every type - the header says what happened', () => {
    const headers = LIFECYCLE_TYPES.map((t) => (slackMessage(contentOf(lifecycleNotification(lifecycleEvent(t)), options)).blocks[0].text as { text: string }).text);
    expect(headers).toEqual([
      '🆕 New maintenance: Zayo TTN-0001',
      '📝 Maintenance updated: Zayo TTN-0001',
      '📅 Maintenance rescheduled: Zayo TTN-0001',
      '❌ Maintenance cancelled: Zayo TTN-0001',
      '⏳ Maintenance starting soon: Zayo TTN-0001',
      '🚧 Maintenance started: Zayo TTN-0001',
      '✅ Maintenance ended: Zayo TTN-0001',
      '⚠️ Overlapping maintenances: Zayo TTN-0001',
    ]);
  });

  it('rescheduled - shows the old window struck through and the new one', () => {
    const text = slackText(slackMessage(contentOf(lifecycleNotification(lifecycleEvent('rescheduled')), options)).blocks);
    expect(text).toContain('*What changed*');
    expect(text).toContain('~2030-01-01 01:00–05:30 GMT+1~ → 2030-01-02 01:00–05:30 GMT+1');
  });

  it('updated - shows each changed field, old and new', () => {
    const text = slackText(slackMessage(contentOf(lifecycleNotification(lifecycleEvent('updated')), options)).blocks);
    expect(text).toContain('• *summary*: ~Fiber work~ → Fiber relocation on the Paris–Frankfurt span');
  });

  it('overlap - warns with the other maintenance, its window and the shared redundancy group', () => {
    const text = slackText(slackMessage(contentOf(lifecycleNotification(lifecycleEvent('overlap')), options)).blocks);
    expect(text).toContain(':warning: *Overlaps*');
    expect(text).toContain('lumen LUM-77 (2030-01-01 02:00–03:00 GMT+1) on redundancy group par-fra');
  });

  it('unparsed - shows sender, subject and every reason, with <, > and & escaped for Slack', () => {
    const msg = slackMessage(contentOf(unparsedNotification(unparsedNotice(3)), options));
    expect(validateSlackMessage({ ...msg })).toBeUndefined();
    const text = slackText(msg.blocks);
    expect(text).toContain('GTT maintenance notice #3 &lt;urgent&gt; &amp; more');
    expect(text).toContain('noc@gtt.example');
    expect(text).toContain('• gtt html parser: no maintenance table found');
    expect(text).toContain('• no BCOP calendar part');
    expect(text).not.toContain('Open in Maintwatch');
  });

  it('200 circuits - the worst impacted come first, then "and N more" with a link, under 50 blocks and 3,000 characters per text', () => {
    const n = lifecycleNotification(lifecycleEvent('new', { circuits: circuits(200) }));
    const msg = slackMessage(contentOf(n, options));
    expect(validateSlackMessage({ ...msg })).toBeUndefined();
    const text = slackText(msg.blocks);
    expect(text).toContain('Affected circuits (200)');
    expect(text).toContain('…and 175 more — <https://mw.example.net/api/v1/maintenances?provider=zayo&maintenanceId=TTN-0001|see all in Maintwatch>');
    const listed = [...text.matchAll(/`(CKT-\d+)` — ([A-Z-]+)/g)].map((m) => m[2]);
    expect(listed).toHaveLength(25);
    expect(new Set(listed)).toEqual(new Set(['OUTAGE'])); // 50 OUTAGE circuits exist; the first 25 shown are all OUTAGE
  });

  it('every circuit shown - even 1,000 long ids stay within 50 blocks and 3,000 characters', () => {
    const many = circuits(1000).map((c) => ({ ...c, providerCircuitId: `${c.providerCircuitId}-${'X'.repeat(120)}` }));
    const msg = slackMessage(contentOf(lifecycleNotification(lifecycleEvent('new', { circuits: many })), { ...options, maxCircuits: 1000 }));
    expect(validateSlackMessage({ ...msg })).toBeUndefined();
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(slackText(msg.blocks)).toMatch(/…and \d+ more/);
  });

  it('template - a destination title and intro replace the defaults', () => {
    const c = contentOf(lifecycleNotification(lifecycleEvent('new')), { ...options, template: { title: '[{{impact}}] {{providerName}} {{maintenanceId}} {{windowLocal}}', intro: 'Heads up <!here>' } });
    const msg = slackMessage(c);
    expect((msg.blocks[0].text as { text: string }).text).toBe('🆕 [OUTAGE] Zayo TTN-0001 2030-01-01 01:00–05:30 GMT+1');
    expect(slackText(msg.blocks)).toContain('Heads up &lt;!here&gt;');
  });

  it('possible repeat - the message says so at the top', () => {
    const msg = slackMessage(contentOf(lifecycleNotification(lifecycleEvent('new')), { ...options, possibleRepeat: true }));
    expect(slackText(msg.blocks.slice(0, 2))).toContain('Possible repeat');
    expect(msg.text).toContain('[possible repeat]');
  });
});

describe('Teams card', () => {
  it.each([...LIFECYCLE_TYPES])('%s - an Adaptive Card with the same facts as Slack', (type: LifecycleType) => {
    const msg = teamsMessage(contentOf(lifecycleNotification(lifecycleEvent(type)), options));
    expect(msg.type).toBe('message');
    expect(msg.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(msg.attachments[0].content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    const text = JSON.stringify(msg);
    for (const s of ['Zayo', 'TTN-0001', 'OUTAGE', 'Window (UTC)', 'Window (Europe/Paris)', '4h 30m', 'Action.OpenUrl', 'corr-1234']) expect(text).toContain(s);
  });

  it('rescheduled and overlap - old and new window, and the overlap warning', () => {
    expect(teamsText(lifecycleNotification(lifecycleEvent('rescheduled')))).toContain('2030-01-01 01:00–05:30 GMT+1 → 2030-01-02 01:00–05:30 GMT+1');
    const overlap = teamsText(lifecycleNotification(lifecycleEvent('overlap')));
    expect(overlap).toContain('"style":"warning"');
    expect(overlap).toContain('lumen LUM-77');
  });

  it('200 circuits with long ids - stays under 28 KB, worst first, with "and N more"', () => {
    const many = circuits(200).map((c) => ({ ...c, providerCircuitId: `${c.providerCircuitId}-${'LONG'.repeat(60)}` }));
    const n = lifecycleNotification(lifecycleEvent('new', { circuits: many }));
    const body = teamsText(n, { ...options, maxCircuits: 200 });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(TEAMS_MAX_PAYLOAD_BYTES);
    const listed = [...body.matchAll(/`(CKT-\d+)-(?:LONG)+` — ([A-Z-]+)/g)].map((m) => m[2]);
    expect(listed.length).toBeGreaterThan(10);
    expect(listed.every((i) => i === 'OUTAGE')).toBe(true);
    expect(body).toMatch(/…and \d+ more — \[see all in Maintwatch\]/);
  });

  it('a huge summary - still under 28 KB', () => {
    const n = lifecycleNotification(lifecycleEvent('new', { summary: 'é'.repeat(40_000), circuits: circuits(300) }));
    expect(Buffer.byteLength(teamsText(n))).toBeLessThanOrEqual(TEAMS_MAX_PAYLOAD_BYTES);
  });
});

describe('plain text', () => {
  it('console - one readable block per notification with the window and circuits', () => {
    const text = plainText(contentOf(lifecycleNotification(lifecycleEvent('new')), options));
    expect(text.split('\n')[0]).toBe('🆕 New maintenance: Zayo TTN-0001');
    expect(text).toContain('Window (UTC): 2030-01-01 00:00–04:30 UTC');
    expect(text).toContain('Circuits (2): OGYX/100200//ZYO (OUTAGE), OGYX/100201//ZYO (NO-IMPACT)');
  });
});
