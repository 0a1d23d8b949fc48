// The acceptance corpus as a test: every case of CORPUS_DIR (default ../shared/corpus/cmp,
// relative to the repository root) must parse to its expected maintenances. Without the
// corpus the test says so and passes, except in CI (CI=true), where a missing corpus fails:
// there the acceptance run must not silently turn into a no-op.
// For a case's diff: npm run corpus -- DIR --provider TYPE
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { builtInRegistry, collapseSummaries, CORPUS_CORRECTIONS, correctedExpected, loadCorpus, runCase, sortKeys, type CorpusCase } from '../index';

const repoRoot = resolve(__dirname, '..', '..', '..', '..');
const corpusDir = resolve(repoRoot, process.env.CORPUS_DIR ?? join('..', 'shared', 'corpus', 'cmp'));
const inCi = process.env.CI === 'true';
const present = existsSync(join(corpusDir, 'INDEX.tsv'));
const cases: CorpusCase[] = present ? loadCorpus(corpusDir) : [];

describe('acceptance corpus', () => {
  if (!present) {
    it(`corpus at ${corpusDir}`, () => {
      if (inCi) throw new Error(`corpus ${corpusDir} not found (CI=true: the corpus is required; set CORPUS_DIR)`);
      console.warn(`corpus ${corpusDir} not found: acceptance corpus SKIPPED (set CORPUS_DIR to run it)`);
    });
    return;
  }

  const registry = builtInRegistry();
  it('has cases', () => expect(cases.length).toBeGreaterThan(0));

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const result = await runCase(c, registry);
    if (result.passed) return;
    const outcome = result.outcome;
    const why =
      outcome.kind === 'parsed' ? 'maintenances differ' : outcome.kind === 'ignored' ? `ignored: ${outcome.reason}` : `unparsed: ${outcome.reasons.join(' | ')}`;
    // the diff of the expected list, with the outcome's reason as the message
    expect({ why, maintenances: sortKeys(result.actual) }).toEqual({ why: 'passed', maintenances: sortKeys(collapseSummaries(correctedExpected(c.name, c.expected).expected)) });
  });

  // A correction must be needed: it names a case of the corpus, changes what the reference
  // expects, and the parser's result is not the reference's.
  it.each(CORPUS_CORRECTIONS.map((k) => [k.case, k] as const))('correction of %s: names a case, changes its expected values, and is needed', async (name, k) => {
    const c = cases.find((x) => x.name === name);
    expect(c).toBeDefined();
    const corrected = correctedExpected(name, c!.expected).expected;
    expect(corrected).not.toEqual(c!.expected);
    for (const [i, fields] of Object.entries(k.records)) for (const f of Object.keys(fields)) expect(Object.keys(c!.expected[Number(i)] as object)).toContain(f);
    const result = await runCase(c!, registry);
    expect(result.passed).toBe(true);
    expect(sortKeys(result.actual)).not.toEqual(sortKeys(collapseSummaries(c!.expected)));
  });
});
