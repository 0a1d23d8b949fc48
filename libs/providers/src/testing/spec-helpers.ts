// Helpers for the provider specs: read a project fixture, vary it, parse it as a provider.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
