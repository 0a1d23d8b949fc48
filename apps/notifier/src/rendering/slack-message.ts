import { clip, type MessageContent } from './notification';

/** Slack's Block Kit limits the layout keeps to (checked again by the fake Slack in tests). */
export const SLACK_BLOCK_LIMITS = { blocks: 50, text: 3000, header: 150, fields: 10, field: 2000, url: 3000 } as const;

/** A Block Kit block. */
export type Block = { type: string } & Record<string, unknown>;

/** A Slack message: blocks plus the notification fallback text. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

// Slack mrkdwn: only &, < and > must be escaped (https://api.slack.com/reference/surfaces/formatting).
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const mrkdwn = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, SLACK_BLOCK_LIMITS.text) } });

/**
 * Lays a notification out as Block Kit within Slack's limits: at most 50 blocks and 3,000
 * characters per text. Circuits come worst impact first; beyond `maxCircuits` (or what fits),
 * "…and N more" links to the maintenance.
 */
export function slackMessage(c: MessageContent): SlackMessage {
  const head: Block[] = [{ type: 'header', text: { type: 'plain_text', text: clip(`${c.emoji} ${c.title}`, SLACK_BLOCK_LIMITS.header), emoji: true } }];
  if (c.possibleRepeat) {
    head.push({ type: 'context', elements: [{ type: 'mrkdwn', text: ':warning: *Possible repeat*: an earlier attempt may already have been posted.' }] });
  }
  if (c.intro) head.push(mrkdwn(esc(c.intro)));
  for (let i = 0; i < c.facts.length; i += SLACK_BLOCK_LIMITS.fields) {
    head.push({
      type: 'section',
      fields: c.facts
        .slice(i, i + SLACK_BLOCK_LIMITS.fields)
        .map((f) => ({ type: 'mrkdwn', text: clip(`*${esc(f.label)}*\n${esc(f.value)}`, SLACK_BLOCK_LIMITS.field) })),
    });
  }
  if (c.summary) head.push(mrkdwn(`*Summary*\n${esc(c.summary)}`));
  if (c.changes.length) {
    head.push(mrkdwn(`*What changed*\n${c.changes.map((ch) => `• *${esc(ch.label)}*: ~${esc(ch.old)}~ → ${esc(ch.new)}`).join('\n')}`));
  }
  if (c.overlaps.length) head.push(mrkdwn(`:warning: *Overlaps*\n${c.overlaps.map((o) => `• ${esc(o)}`).join('\n')}`));
  if (c.reasons.length) head.push(mrkdwn(`*Why it could not be parsed*\n${c.reasons.map((r) => `• ${esc(r)}`).join('\n')}`));

  const tail: Block[] = [];
  const buttons = [
    c.links.maintenance ? { text: 'Open in Maintwatch', url: c.links.maintenance } : undefined,
    c.links.notice ? { text: 'Open notice', url: c.links.notice } : undefined,
    c.links.calendar ? { text: 'Calendar feed', url: c.links.calendar } : undefined,
  ].filter((b): b is { text: string; url: string } => b !== undefined && b.url.length <= SLACK_BLOCK_LIMITS.url);
  if (buttons.length) {
    tail.push({ type: 'actions', elements: buttons.map((b) => ({ type: 'button', text: { type: 'plain_text', text: b.text }, url: b.url })) });
  }
  tail.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(esc(c.footer), SLACK_BLOCK_LIMITS.text) }] });

  const circuitBlocks = layoutCircuits(c, SLACK_BLOCK_LIMITS.blocks - head.length - tail.length);
  const window = c.facts.find((f) => f.label === 'Window (UTC)')?.value;
  return {
    text: clip(`${c.emoji} ${c.title}${window ? ` (${window})` : ''}${c.possibleRepeat ? ' [possible repeat]' : ''}`, SLACK_BLOCK_LIMITS.text),
    blocks: [...head, ...circuitBlocks, ...tail],
  };
}

function layoutCircuits(c: MessageContent, budget: number): Block[] {
  if (c.circuits.length === 0 || budget < 2) return [];
  const line = (x: MessageContent['circuits'][number]) =>
    clip(`• \`${esc(x.id)}\` — ${x.impact}${x.group ? ` (group ${esc(x.group)})` : ''}${x.description ? ` ${esc(x.description)}` : ''}`, 300);
  const more = (n: number) => `…and ${n} more${c.links.maintenance ? ` — <${c.links.maintenance}|see all in Maintwatch>` : ''}`;
  const blocks: Block[] = [];
  let text = `*Affected circuits (${c.circuits.length})*`;
  let shown = 0;
  const limit = Math.min(c.maxCircuits, c.circuits.length);
  // Reserve room for the "and N more" line in the last block.
  const room = SLACK_BLOCK_LIMITS.text - more(c.circuits.length).length - 1;
  for (; shown < limit; shown++) {
    const next = line(c.circuits[shown]);
    if (text.length + 1 + next.length > room) {
      if (blocks.length + 2 > budget) break;
      blocks.push(mrkdwn(text));
      text = next;
    } else {
      text += `\n${next}`;
    }
  }
  if (shown < c.circuits.length) text += `\n${more(c.circuits.length - shown)}`;
  blocks.push(mrkdwn(text));
  return blocks;
}
