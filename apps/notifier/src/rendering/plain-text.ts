import type { MessageContent } from './notification';

/** The notification as readable plain text (the console destination, the webhook's `text`). */
export function plainText(c: MessageContent): string {
  const lines = [`${c.emoji} ${c.title}${c.possibleRepeat ? ' [possible repeat]' : ''}`];
  if (c.intro) lines.push(`  ${c.intro}`);
  for (const f of c.facts) lines.push(`  ${f.label}: ${f.value}`);
  if (c.summary) lines.push(`  Summary: ${c.summary}`);
  for (const ch of c.changes) lines.push(`  Changed ${ch.label}: ${ch.old} -> ${ch.new}`);
  for (const o of c.overlaps) lines.push(`  Overlap: ${o}`);
  for (const r of c.reasons) lines.push(`  Reason: ${r}`);
  if (c.circuits.length) {
    const shown = c.circuits.slice(0, c.maxCircuits).map((x) => `${x.id} (${x.impact})`);
    const rest = c.circuits.length - shown.length;
    lines.push(`  Circuits (${c.circuits.length}): ${shown.join(', ')}${rest > 0 ? `, …and ${rest} more` : ''}`);
  }
  for (const [label, url] of [
    ['Maintenance', c.links.maintenance],
    ['Notice', c.links.notice],
    ['Calendar', c.links.calendar],
  ] as const) {
    if (url) lines.push(`  ${label}: ${url}`);
  }
  lines.push(`  (${c.footer})`);
  return lines.join('\n');
}
