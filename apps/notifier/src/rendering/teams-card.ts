import { clip, type MessageContent } from './notification';

/** Teams refuses webhook messages over 28 KB; a margin stays free for what proxies add. */
export const TEAMS_PAYLOAD_LIMIT = 28 * 1024 - 512;

type Element = { type: string } & Record<string, unknown>;

/** The body posted to a Teams Workflows (or incoming) webhook: a message with one Adaptive Card. */
export interface TeamsMessage {
  type: 'message';
  attachments: { contentType: 'application/vnd.microsoft.card.adaptive'; contentUrl: null; content: Element }[];
}

/**
 * The notification as an Adaptive Card (1.4, what Teams renders) with the same content as the
 * Slack message, within Teams' payload limit: when the card is too large, fewer circuits are
 * shown (worst first, then "…and N more"), then long texts are cut.
 */
export function teamsMessage(c: MessageContent, limitBytes = TEAMS_PAYLOAD_LIMIT): TeamsMessage {
  let shown = Math.min(c.maxCircuits, c.circuits.length);
  let textMax = 4000;
  for (;;) {
    const msg = wrap(card(c, shown, textMax));
    if (Buffer.byteLength(JSON.stringify(msg), 'utf8') <= limitBytes) return msg;
    if (shown > 0) shown = Math.floor(shown / 2);
    else if (textMax > 200) textMax = Math.floor(textMax / 2);
    else return wrap(card({ ...c, facts: c.facts.slice(0, 6), overlaps: [], changes: [], reasons: [], intro: undefined }, 0, 200));
  }
}

function wrap(content: Element): TeamsMessage {
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }] };
}

function card(c: MessageContent, shown: number, textMax: number): Element {
  const text = (t: string, extra: Record<string, unknown> = {}): Element => ({ type: 'TextBlock', text: clip(t, textMax), wrap: true, ...extra });
  const body: Element[] = [text(`${c.emoji} ${c.title}`, { size: 'Large', weight: 'Bolder', style: 'heading' })];
  if (c.possibleRepeat) body.push(text('⚠️ **Possible repeat**: an earlier attempt may already have been posted.', { color: 'Warning' }));
  if (c.intro) body.push(text(c.intro));
  body.push({ type: 'FactSet', facts: c.facts.map((f) => ({ title: f.label, value: clip(f.value, textMax) })) });
  if (c.summary) body.push(text(`**Summary**: ${c.summary}`));
  if (c.changes.length) {
    body.push(text('**What changed**', { spacing: 'Medium' }));
    body.push({ type: 'FactSet', facts: c.changes.map((ch) => ({ title: ch.label, value: clip(`${ch.old} → ${ch.new}`, textMax) })) });
  }
  if (c.overlaps.length) {
    body.push({ type: 'Container', style: 'warning', items: [text('⚠️ **Overlaps**'), text(c.overlaps.map((o) => `- ${o}`).join('\n'))] });
  }
  if (c.reasons.length) body.push(text(`**Why it could not be parsed**\n${c.reasons.map((r) => `- ${r}`).join('\n')}`));
  if (c.circuits.length) {
    body.push(text(`**Affected circuits (${c.circuits.length})**`, { spacing: 'Medium' }));
    const lines = c.circuits.slice(0, shown).map((x) => `- \`${x.id}\` — ${x.impact}${x.group ? ` (group ${x.group})` : ''}`);
    if (lines.length) body.push({ type: 'TextBlock', text: lines.join('\n'), wrap: true });
    if (shown < c.circuits.length) {
      const rest = c.circuits.length - shown;
      body.push(text(c.links.maintenance ? `…and ${rest} more — [see all in Maintwatch](${c.links.maintenance})` : `…and ${rest} more`));
    }
  }
  body.push(text(c.footer, { size: 'Small', isSubtle: true, spacing: 'Medium' }));
  const actions = [
    c.links.maintenance ? { type: 'Action.OpenUrl', title: 'Open in Maintwatch', url: c.links.maintenance } : undefined,
    c.links.notice ? { type: 'Action.OpenUrl', title: 'Open notice', url: c.links.notice } : undefined,
    c.links.calendar ? { type: 'Action.OpenUrl', title: 'Calendar feed', url: c.links.calendar } : undefined,
  ].filter((a) => a !== undefined);
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    msteams: { width: 'Full' },
    body,
    ...(actions.length ? { actions } : {}),
  };
}
