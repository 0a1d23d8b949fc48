// Helpers for the provider specs: read a project fixture, vary it, parse it as a provider.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Maintenance } from '@maintwatch/contracts';
import { parseMail } from '../core/parse';
import type { ParseOutcome } from '../core/types';
import { builtInRegistry } from '../registry';

const registry = builtInRegistry();

/** A fixture mail of libs/providers/fixtures/<provider>/. */
export const readFixture = (provider: string, name: string): string =>
  readFileSync(join(__dirname, '..', '..', 'fixtures', provider, name), 'utf8');

/** Epoch seconds of an ISO time. */
export const epoch = (iso: string): number => Date.parse(iso) / 1000;

/** Replaces every occurrence, failing when a string to replace is not in the mail (a vacuous test). */
export function vary(text: string, swaps: [string, string][]): string {
  return swaps.reduce((t, [from, to]) => {
    expect(t).toContain(from);
    return t.split(from).join(to);
  }, text);
}

/** The outcome of parsing a mail with this provider as the hint. */
export function outcomeAs(provider: string, raw: string): Promise<ParseOutcome> {
  return parseMail(raw, { registry, providerHint: provider });
}

/** The parsed outcome, or a thrown error showing what came out instead. */
export async function parseAs(provider: string, raw: string): Promise<Extract<ParseOutcome, { kind: 'parsed' }>> {
  const outcome = await outcomeAs(provider, raw);
  if (outcome.kind !== 'parsed') throw new Error(`not parsed: ${JSON.stringify(outcome)}`);
  return outcome;
}

/** What is wrong with an outcome (a parse must end typed, with valid maintenances or a reason), if anything. */
export function outcomeProblem(outcome: ParseOutcome): string | undefined {
  switch (outcome.kind) {
    case 'parsed': {
      if (outcome.maintenances.length === 0) return 'parsed without maintenances';
      for (const m of outcome.maintenances) {
        const check = Maintenance.safeParse(m);
        if (!check.success) return `invalid maintenance: ${check.error.message}`;
      }
      return undefined;
    }
    case 'unparsed':
      return outcome.reasons.length > 0 && outcome.reasons.every((r) => typeof r === 'string' && r.length > 0)
        ? undefined
        : 'unparsed without reasons';
    case 'ignored':
      return outcome.reason ? undefined : 'ignored without a reason';
    default:
      return `unknown outcome ${JSON.stringify(outcome)}`;
  }
}
