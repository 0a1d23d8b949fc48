import { ProviderRunError, passesFilters, runProvider } from './engine';
import { MimeError, reasonOf } from './errors';
import { readMail } from './mail';
import { GENERIC_PROVIDER_TYPE, type ProviderRegistry } from './registry';
import type { NotificationData, ParseOutcome, ProviderDefinition } from './types';

/** Options for one parse. */
export interface ParseOptions {
  registry: ProviderRegistry;
  /** Provider type to use when the sender names none (ingest's per-source hint, the CLI's --provider). */
  providerHint?: string;
  /** Largest attachment read; a larger one is skipped with a warning (default DEFAULT_MAX_PART_BYTES). */
  maxPartBytes?: number;
}

/** Parses a whole RFC 822 mail. Never throws: every input ends parsed, unparsed or ignored. */
export async function parseMail(raw: Buffer | string, options: ParseOptions): Promise<ParseOutcome> {
  let data: NotificationData;
  try {
    data = await readMail(raw, { maxPartBytes: options.maxPartBytes });
  } catch (err) {
    const reason = err instanceof MimeError ? err.message : `mail could not be read: ${reasonOf(err)}`;
    return { kind: 'unparsed', providerType: options.providerHint, reasons: [reason], attempts: [] };
  }
  return parseNotification(data, options);
}

/** Parses a notification already split into typed parts. Never throws. */
export function parseNotification(data: NotificationData, options: ParseOptions): ParseOutcome {
  const { sender, subject } = data;
  let provider: ProviderDefinition | undefined;
  try {
    provider = selectProvider(data, options);
  } catch (err) {
    return { kind: 'unparsed', providerType: options.providerHint, sender, subject, reasons: [reasonOf(err)], attempts: [] };
  }
  if (!provider) {
    return {
      kind: 'ignored',
      sender,
      subject,
      reason: sender
        ? `sender ${sender} is no known provider and the mail has no BCOP calendar part`
        : 'no sender and no BCOP calendar part',
    };
  }
  const filtered = passesFilters(provider, data);
  if (!filtered.ok) return { kind: 'ignored', providerType: provider.type, sender, subject, reason: filtered.reason };
  try {
    const run = runProvider(provider, data);
    return {
      kind: 'parsed',
      providerType: provider.type,
      parsers: run.parsers,
      maintenances: run.maintenances,
      ...(run.alternateWindows ? { alternateWindows: run.alternateWindows } : {}),
      warnings: data.warnings,
    };
  } catch (err) {
    const attempts = err instanceof ProviderRunError ? err.attempts : [];
    const reasons = attempts.length
      ? attempts.flatMap((a) => a.reasons.map((r) => `${provider.type} processor ${a.processor} (${a.kind}): ${r}`))
      : [reasonOf(err)];
    return { kind: 'unparsed', providerType: provider.type, sender, subject, reasons: [...reasons, ...data.warnings], attempts };
  }
}

/**
 * Sender first (the forwarded original's, when unwrapped), then the hint; an unknown
 * sender with a BCOP calendar part gets the generic BCOP provider.
 */
export function selectProvider(data: NotificationData, options: ParseOptions): ProviderDefinition | undefined {
  const { registry, providerHint } = options;
  const bySender = registry.bySender(data.sender) ?? registry.bySender(data.forwardedBy);
  if (bySender) return bySender;
  if (providerHint) {
    const hinted = registry.get(providerHint);
    if (!hinted) throw new Error(`unknown provider hint "${providerHint}"`);
    return hinted;
  }
  if (data.parts.some((p) => p.type === 'ical' && /X-MAINTNOTE-/i.test(p.content))) {
    return registry.get(GENERIC_PROVIDER_TYPE);
  }
  return undefined;
}
