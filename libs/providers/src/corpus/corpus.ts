import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as libqp from 'libqp';
import { collapseWhitespace } from '../core/engine';
import { correctedExpected, type CorpusCorrection } from './corrections';
import { parseMail, parseNotification } from '../core/parse';
import type { ProviderRegistry } from '../core/registry';
import type { DataPart, DataType, NotificationData, ParseOutcome } from '../core/types';

/** One case of a corpus in the layout of shared/corpus/cmp. */
export interface CorpusCase {
  provider: string;
  name: string;
  dir: string;
  inputKind: string;
  primaryEmail: string | null;
  inputs: { data_type: string; file: string }[];
  expected: unknown[];
  /** Alternatives that also pass (expected_email_path.json). */
  alternatives: unknown[][];
}

/** Result of one case. */
export interface CaseResult {
  case: CorpusCase;
  passed: boolean;
  actual: unknown[];
  outcome: ParseOutcome;
  /** The project's correction of the expected values that this case was compared with. */
  correction?: CorpusCorrection;
}

/** Lists every case of INDEX.tsv (mail cases) and, unless mailOnly, INDEX-other.tsv. */
export function loadCorpus(dir: string, options: { mailOnly?: boolean } = {}): CorpusCase[] {
  const indexes: [string, string][] = [['INDEX.tsv', '']];
  if (!options.mailOnly) indexes.push(['INDEX-other.tsv', '_other']);
  const cases: CorpusCase[] = [];
  for (const [index, sub] of indexes) {
    const path = join(dir, index);
    if (!existsSync(path)) {
      if (sub) continue;
      throw new Error(`${path} not found: not a corpus directory`);
    }
    const [header, ...rows] = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim());
    const cols = header.split('\t');
    for (const row of rows) {
      const cells = row.split('\t');
      const get = (c: string) => cells[cols.indexOf(c)] ?? '';
      const caseDir = join(dir, sub, get('provider'), get('case'));
      const meta = JSON.parse(readFileSync(join(caseDir, 'case.json'), 'utf8'));
      const alt = join(caseDir, 'expected_email_path.json');
      cases.push({
        provider: get('provider'),
        name: `${sub ? sub + '/' : ''}${get('provider')}/${get('case')}`,
        dir: caseDir,
        inputKind: meta.input_kind,
        primaryEmail: meta.primary_email,
        inputs: meta.test_e2e_inputs,
        expected: JSON.parse(readFileSync(join(caseDir, get('expected_file') || 'expected.json'), 'utf8')),
        alternatives: existsSync(alt) ? [JSON.parse(readFileSync(alt, 'utf8'))] : [],
      });
    }
  }
  return cases;
}

const DATA_TYPES: Record<string, DataType> = {
  ical: 'ical',
  html: 'html',
  text: 'text',
  csv: 'csv',
  xlsx: 'xlsx',
  'email-header-date': 'email-header-date',
  'email-header-subject': 'email-header-subject',
};

/**
 * Builds a notification from typed part files, as circuit-maintenance-parser's tests feed
 * them. HTML files may still be quoted-printable (the reference decodes every HTML part
 * with quopri), so they are decoded the same way.
 */
export function notificationFromFiles(dir: string, inputs: { data_type: string; file: string }[]): NotificationData {
  const parts: DataPart[] = [];
  for (const input of inputs) {
    const type = DATA_TYPES[input.data_type];
    if (!type) throw new Error(`unsupported data type ${input.data_type}`);
    const bytes = readFileSync(join(dir, input.file));
    if (type === 'xlsx') parts.push({ type, content: bytes, filename: input.file });
    else if (type === 'html') parts.push({ type, content: decodeQuotedPrintableHtml(bytes), filename: input.file });
    else parts.push({ type, content: bytes.toString('utf8').trim(), filename: input.file });
  }
  return { parts, warnings: [] };
}

function decodeQuotedPrintableHtml(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (!/=3D|=\r?\n|=[0-9A-F]{2}/.test(text)) return text;
  return libqp.decode(text).toString('utf8');
}

/** Runs one case with the case's provider as the hint, as the reference's test names it. */
export async function runCase(c: CorpusCase, registry: ProviderRegistry): Promise<CaseResult> {
  let outcome: ParseOutcome;
  if (c.primaryEmail) {
    outcome = await parseMail(readFileSync(join(c.dir, c.primaryEmail)), { registry, providerHint: c.provider });
  } else {
    const data = notificationFromFiles(c.dir, c.inputs);
    outcome = parseNotification(data, { registry, providerHint: c.provider });
  }
  const actual = outcome.kind === 'parsed' ? outcome.maintenances : [];
  // Summaries compared whitespace-collapsed: the parser collapses them (core/engine.ts), and
  // the reference's whitespace is incidental to the provider's markup.
  const norm = (v: unknown) => JSON.stringify(sortKeys(collapseSummaries(v)));
  const { expected, correction } = correctedExpected(c.name, c.expected);
  const passed = [expected, ...c.alternatives].some((e) => norm(e) === norm(actual));
  return { case: c, passed, actual, outcome, ...(correction ? { correction } : {}) };
}

/** Deep copy with object keys sorted, so comparisons ignore key order. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** A list of maintenances with each string summary whitespace-collapsed (see runCase). */
export function collapseSummaries(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  return v.map((m) =>
    m && typeof m === 'object' && typeof (m as { summary?: unknown }).summary === 'string'
      ? { ...(m as object), summary: collapseWhitespace((m as { summary: string }).summary) }
      : m,
  );
}
