// npm run corpus -- DIR [--provider TYPE]...: runs every case of a corpus laid out like
// shared/corpus/cmp, prints each failing case with a diff, ends with "N passed, M failed".
import { existsSync } from 'node:fs';
import { diff } from 'jest-diff';
import { builtInRegistry, correctedExpected, loadCorpus, runCase, sortKeys } from '@maintwatch/providers';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const only: string[] = [];
  let dir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--provider') only.push(args[++i]);
    else dir = args[i];
  }
  dir = dir ?? process.env.CORPUS_DIR ?? '../shared/corpus/cmp';
  if (!existsSync(dir)) {
    console.error(`corpus directory ${dir} not found`);
    return 2;
  }
  const registry = builtInRegistry();
  const cases = loadCorpus(dir).filter((c) => only.length === 0 || only.includes(c.provider));
  let passed = 0;
  let failed = 0;
  const corrected: string[] = [];
  for (const c of cases) {
    const r = await runCase(c, registry);
    if (r.correction) corrected.push(c.name);
    if (r.passed) {
      passed++;
      continue;
    }
    failed++;
    console.log(`FAIL ${c.name}`);
    if (r.outcome.kind !== 'parsed') console.log(`  ${r.outcome.kind}: ${JSON.stringify(r.outcome.kind === 'ignored' ? r.outcome.reason : r.outcome.reasons, null, 2)}`);
    else console.log(diff(sortKeys(correctedExpected(c.name, c.expected).expected), sortKeys(r.actual), { expand: false, contextLines: 2 }));
  }
  // Cases compared with the project's correction of the reference (libs/providers/src/corpus/corrections.ts).
  if (corrected.length > 0) console.log(`compared with a documented correction: ${corrected.join(', ')}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
