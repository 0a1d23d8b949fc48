// The table test of every provider: each folder libs/providers/fixtures/<type>/ holds mails
// written for this project (made-up circuits, accounts, ids) as NAME.eml, and beside each
// NAME.expected.json: either the list of maintenances, or {"kind": "unparsed" | "ignored",
// "reason": "<substring of one reason>"} for bad input. Adding a provider adds a folder.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_IN_PROVIDERS, builtInRegistry, parseMail, sortKeys } from './index';

const root = join(__dirname, '..', 'fixtures');
const registry = builtInRegistry();
const folders = existsSync(root) ? readdirSync(root).filter((d) => !d.startsWith('.')) : [];
const rows = folders.flatMap((type) =>
  readdirSync(join(root, type))
    .filter((f) => f.endsWith('.eml'))
    .map((f) => [type, f] as const),
);

describe('providers - fixtures', () => {
  it('has a fixture folder for every built-in provider', () => {
    const missing = BUILT_IN_PROVIDERS.map((p) => p.type).filter((t) => !folders.includes(t));
    expect(missing).toEqual([]);
  });

  it.each(rows)('%s - %s', async (type, file) => {
    const raw = readFileSync(join(root, type, file));
    const expected = JSON.parse(readFileSync(join(root, type, file.replace(/\.eml$/, '.expected.json')), 'utf8'));
    const outcome = await parseMail(raw, { registry, providerHint: type });
    if (Array.isArray(expected)) {
      if (outcome.kind !== 'parsed') throw new Error(`${file}: ${outcome.kind}: ${JSON.stringify(outcome)}`);
      expect(outcome.providerType).toBe(type);
      expect(sortKeys(outcome.maintenances)).toEqual(sortKeys(expected));
    } else {
      expect(outcome.kind).toBe(expected.kind);
      const reasons = outcome.kind === 'unparsed' ? outcome.reasons : outcome.kind === 'ignored' ? [outcome.reason] : [];
      expect(reasons.join('\n')).toContain(expected.reason);
    }
  });
});
