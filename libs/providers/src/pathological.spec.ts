// Hostile-input test: every registered provider gets mails whose body is one long pathological
// line (100 KB of spaces, of punctuation, of one label repeated, a label followed by 100 KB of
// blanks), as plain text, as HTML (paragraph and label/value table cell) and as a calendar part,
// once routed by its sender address and once by the provider hint. A regular expression that
// backtracks on such a line (nested or adjacent quantifiers over overlapping classes) turns one
// mail into seconds or hours of CPU; each mail must end typed within PER_MAIL_MS.
// Measured on the 2-core build machine: the slowest mail takes ~50 ms (the bound leaves room for
// a loaded machine and a cold JIT); before the regex fixes of apple.ts/att.ts one mail did not end.
import { BUILT_IN_PROVIDERS, builtInRegistry, parseMail, type ProviderDefinition } from './index';
import { outcomeProblem } from './testing/spec-helpers';

/** Generous bound per mail on a loaded 2-core machine. */
const PER_MAIL_MS = 2000;
const SIZE = 100_000;

const fill = (unit: string, size = SIZE): string => unit.repeat(Math.ceil(size / unit.length));

/** The long lines: each alone defeats one kind of backtracking pattern. */
const LINES: readonly [string, string][] = [
  ['spaces', fill(' ')],
  ['spaces then a letter', `x${fill(' ')}x!`],
  ['tabs and spaces', fill(' \t')],
  ['punctuation', fill(':-.,;/()|[]#=+_*')],
  ['colons', fill(':')],
  ['letters', fill('a')],
  ['letters and spaces', fill('a ')],
  ['digits', fill('0')],
  ['digit groups', fill('12:00 ')],
  ['repeated "Circuit ID: "', fill('Circuit ID: ')],
  ['repeated "Start: "', fill('Start: ')],
  ['repeated "Start Time: "', fill('Start Time: ')],
  ['repeated "End Time: "', fill('End Time: ')],
  ['repeated "Maintenance ID: "', fill('Maintenance ID: ')],
  ['repeated dates', fill('2 May 2023 14:00 UTC ')],
  ['"Start Time:" then blanks', `Start Time: 2 May 2023 14:00${fill(' ')}x`],
  ['"End Time:" then blanks', `End Time: March 31, 2025 14:00${fill(' ')}!`],
  ['label then blanks', `Event ID${fill(' ')}x`],
  ['label then blanks then colon', `Seaborn Ticket Number${fill(' ')}: 1`],
  ['label then blanks then no colon', `Account Name${fill(' ')}x`],
  ['"Attention" then blanks', `Attention x${fill(' ')}y`],
  ['"from <date> to" then blanks', `from Thu, 20 May 2021 08:00:00 GMT to${fill(' ')}x`],
  // htmlparser2 leaves each <p> open: tens of thousands nested (selector engines go quadratic).
  ['unclosed <p> tags', fill('<p>')],
];

/** Enough of each provider's vocabulary that parsers get past their first check. */
const PREAMBLE = 'Maintenance Ticket # 123 Planned Work Notification CHG0001 Peer AS: 64500';

const html = (line: string) =>
  `<html><body><p>${PREAMBLE}</p><p>${line}</p><table><tr><td>Maintenance ID</td><td>${line}</td></tr>` +
  `<tr><td>Start Time:</td><td>${line}</td></tr></table></body></html>`;
const calendar = (line: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'BEGIN:VEVENT',
    'UID:pathological',
    'DTSTAMP:20240101T000000Z',
    'DTSTART:20240102T000000Z',
    'DTEND:20240102T040000Z',
    `SUMMARY:${line}`,
    `X-MAINTNOTE-MAINTENANCE-ID:${line}`,
    `X-MAINTNOTE-OBJECT-ID:${line}`,
    'X-MAINTNOTE-IMPACT:OUTAGE',
    'X-MAINTNOTE-STATUS:CONFIRMED',
    'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n');

const CONTAINERS: readonly [string, string, (line: string) => string][] = [
  ['text', 'text/plain', (line) => `${PREAMBLE}\n${line}\n${line}`],
  ['html', 'text/html', html],
  ['calendar', 'text/calendar', calendar],
];

/** A sender address the registry routes to the provider, or none (generic BCOP has none). */
function senderOf(p: ProviderDefinition): string | undefined {
  const s = p.senders[0];
  return s === undefined ? undefined : s.includes('@') ? s : `noc@${s}`;
}

function mail(from: string, type: string, body: string): string {
  return [
    `From: ${from}`,
    'To: noc@example.net',
    `Subject: Network Maintenance - Planned Work Notification ${body.slice(0, 200)}`,
    'Date: Mon, 1 Jan 2024 00:00:00 +0000',
    'MIME-Version: 1.0',
    `Content-Type: ${type}; charset=utf-8`,
    'Content-Transfer-Encoding: 8bit',
    '',
    body,
    '',
  ].join('\r\n');
}

/** Error types that mean a parser broke, not that it refused the mail. */
const CRASH = /\b(?:TypeError|RangeError|ReferenceError|SyntaxError|InternalError)\b/;

const cases = BUILT_IN_PROVIDERS.flatMap((p) =>
  CONTAINERS.flatMap(([container, type, wrap]) => LINES.map(([line, text]) => [p.type, container, line, type, wrap(text)] as const)),
);

describe('providers - pathological lines', () => {
  const registry = builtInRegistry();
  const timings: [number, string][] = [];

  afterAll(() => {
    timings.sort((a, b) => b[0] - a[0]);
    console.info(`pathological: ${timings.length} mails, slowest:\n${timings.slice(0, 5).map(([ms, what]) => `  ${ms.toFixed(0)} ms ${what}`).join('\n')}`);
  });

  it.each(cases)('%s - %s - %s ends typed within the bound', async (providerType, container, line, type, body) => {
    const provider = BUILT_IN_PROVIDERS.find((p) => p.type === providerType);
    const sender = provider && senderOf(provider);
    const routes: [string, string, string | undefined][] = [['hint', 'someone@unknown.example', providerType]];
    if (sender) routes.push(['sender', sender, undefined]);
    for (const [route, from, hint] of routes) {
      const t0 = performance.now();
      const outcome = await parseMail(mail(from, type, body), { registry, providerHint: hint });
      const ms = performance.now() - t0;
      timings.push([ms, `${providerType} ${container} "${line}" by ${route}`]);
      expect({ route, problem: outcomeProblem(outcome) }).toEqual({ route, problem: undefined });
      const reasons = outcome.kind === 'unparsed' ? outcome.reasons : [];
      expect(reasons.filter((r) => CRASH.test(r))).toEqual([]);
      expect({ route, slow: ms > PER_MAIL_MS ? Math.round(ms) : false }).toEqual({ route, slow: false });
    }
  }, 120_000);
});
