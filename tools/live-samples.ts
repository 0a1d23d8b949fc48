// Writes the live samples (samples/live): BCOP notices whose windows are minutes from now, so
// that a new `npm start` shows a maintenance in progress, one starting within the hour, one
// next week, a reschedule and a cancellation, and the clock's starting-soon, started and ended
// events within minutes. Mustache renders the template; every run gets its own maintenance ids
// and Message-IDs (a run's notices never collide with an earlier run's in ingest's seen-set or
// in the API's "newer only" rule).
// usage: tsx tools/live-samples.ts OUT_DIR [NOW_EPOCH_SECONDS]  -> OUT_DIR/batch-1.mbox, batch-2.mbox
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Mustache from 'mustache';

const root = resolve(__dirname, '..');

interface SampleNotice {
  batch: 1 | 2;
  key: string;
  sequence: number;
  status: string;
  startMin: number;
  endMin: number;
  impact: string;
  circuits: string[];
  summary: string;
}

/** Renders the samples for `now` (epoch seconds): { 1: mbox text, 2: mbox text }. */
export function renderLiveSamples(now: number): Record<1 | 2, string> {
  const template = readFileSync(join(root, 'samples/live/notice.eml.mustache'), 'utf8');
  const { notices } = JSON.parse(readFileSync(join(root, 'samples/live/notices.json'), 'utf8')) as { notices: SampleNotice[] };
  const run = new Date(now * 1000).toISOString().replace(/[-:]/g, '').slice(0, 15);
  const ical = (s: number) => new Date(s * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const text = (s: number) => new Date(s * 1000).toISOString().slice(0, 16).replace('T', ' ');
  const batches: Record<1 | 2, string> = { 1: '', 2: '' };
  for (const n of notices) {
    const start = now + n.startMin * 60;
    const end = now + n.endMin * 60;
    // A later sequence is also a later stamp; batch 1's stamps are a little in the past.
    const stamp = now - 120 + n.sequence * 30;
    const mail = Mustache.render(template, {
      id: `VNOC-LIVE-${run}-${n.key}`,
      run,
      sequence: n.sequence,
      status: n.status,
      subjectStatus: n.status === 'CANCELLED' ? 'Cancelled' : n.sequence > 1 ? 'Rescheduled' : 'Scheduled',
      impact: n.impact,
      circuits: n.circuits.map((circuit) => ({ circuit, impact: n.impact })),
      summary: n.summary,
      description: n.summary,
      dtstart: ical(start),
      dtend: ical(end),
      dtstamp: ical(stamp),
      startText: text(start),
      endText: text(end),
      rfcDate: new Date(stamp * 1000).toUTCString().replace('GMT', '+0000'),
      mboxDate: new Date(stamp * 1000).toUTCString(),
    });
    // mbox: CRLF-free lines, a blank line between messages.
    batches[n.batch] += mail.replace(/\r\n/g, '\n') + '\n';
  }
  return batches;
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: tsx tools/live-samples.ts OUT_DIR [NOW_EPOCH_SECONDS]');
    process.exit(2);
  }
  const now = process.argv[3] ? Number(process.argv[3]) : Math.floor(Date.now() / 1000);
  const batches = renderLiveSamples(now);
  mkdirSync(out, { recursive: true });
  for (const [b, text] of Object.entries(batches)) writeFileSync(join(out, `batch-${b}.mbox`), text);
  console.log(`live samples for ${new Date(now * 1000).toISOString()} in ${out}`);
}
