import { AlternateWindow, Maintenance } from '@maintwatch/contracts';
import { ProcessorError, ProviderError, reasonOf } from './errors';
import type {
  DataPart,
  NotificationData,
  PartFilter,
  PartialMaintenance,
  ProcessorAttempt,
  ProcessorDefinition,
  ProviderDefinition,
} from './types';

/** Built once: zod builds a new schema object (and its checks) on every `.array()` call. */
const AlternateWindows = AlternateWindow.array();

/** What running a provider's processors gives: maintenances and the parsers that made them. */
export interface ProviderRun {
  maintenances: Maintenance[];
  /** Per maintenance (same index), further windows the notice names; absent when none has any. */
  alternateWindows?: AlternateWindow[][];
  parsers: string[];
  attempts: ProcessorAttempt[];
}

/** ProviderError with the per-processor attempts, for the unparsed record. */
export class ProviderRunError extends ProviderError {
  constructor(
    providerType: string,
    causes: ProcessorError[],
    readonly attempts: ProcessorAttempt[],
  ) {
    super(providerType, causes);
  }
}

/**
 * Runs a provider's processors in order; the first that yields valid maintenances wins.
 * Throws ProviderRunError (with every processor's reasons) when none does.
 */
export function runProvider(provider: ProviderDefinition, data: NotificationData): ProviderRun {
  const errors: ProcessorError[] = [];
  const attempts: ProcessorAttempt[] = [];
  for (let index = 0; index < provider.processors.length; index++) {
    const processor = provider.processors[index];
    try {
      const run = runProcessor(provider, processor, index, data);
      attempts.push({ processor: index, kind: processor.kind, parsers: run.parsers, reasons: [] });
      return { ...run, attempts };
    } catch (err) {
      const pe = err instanceof ProcessorError ? err : new ProcessorError(index, [reasonOf(err)], { cause: err });
      errors.push(pe);
      attempts.push({ processor: index, kind: processor.kind, parsers: processor.parsers.map((p) => p.name), reasons: pe.reasons });
    }
  }
  throw new ProviderRunError(provider.type, errors, attempts);
}

/**
 * Runs one processor: each parser over every part of its data types, then combines the
 * records (see ProcessorKind), fills the provider defaults and validates each maintenance.
 */
export function runProcessor(
  provider: ProviderDefinition,
  processor: ProcessorDefinition,
  index: number,
  data: NotificationData,
): { maintenances: Maintenance[]; alternateWindows?: AlternateWindow[][]; parsers: string[] } {
  const reasons: string[] = [];
  const used: string[] = [];
  const outputs: PartialMaintenance[][] = [];
  const ctx = { provider, notification: data };
  for (const parser of processor.parsers) {
    const parts = data.parts.filter((p) => parser.dataTypes.includes(p.type));
    if (parts.length === 0) {
      reasons.push(`${parser.name}: no ${parser.dataTypes.join('/')} part`);
      continue;
    }
    for (const part of parts) {
      try {
        const records = parser.parse(part, ctx);
        if (records.length > 0) {
          outputs.push(records);
          if (!used.includes(parser.name)) used.push(parser.name);
        }
      } catch (err) {
        reasons.push(`${parser.name}: ${reasonOf(err)}`);
      }
    }
  }
  if (outputs.length === 0) {
    throw new ProcessorError(index, reasons.length ? reasons : ['no parser found data']);
  }
  const records = processor.kind === 'simple' ? outputs.flat() : combine(outputs);
  const maintenances: Maintenance[] = [];
  const windows: AlternateWindow[][] = [];
  for (const { alternateWindows, ...record } of records) {
    const candidate = finalise(withDefaults(record, provider));
    const parsed = Maintenance.safeParse(candidate);
    const extra = AlternateWindows.safeParse(alternateWindows ?? []);
    if (!extra.success) {
      reasons.push(`maintenance alternate windows invalid: ${extra.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join(', ')}`);
    } else if (parsed.success) {
      maintenances.push(parsed.data);
      windows.push(extra.data);
    } else {
      const id = typeof record.maintenance_id === 'string' ? ` ${record.maintenance_id}` : '';
      reasons.push(
        `maintenance${id} invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join(', ')}`,
      );
    }
  }
  if (maintenances.length === 0 || maintenances.length < records.length) {
    // A notice with one bad maintenance out of several is not half-parsed silently.
    throw new ProcessorError(index, reasons);
  }
  return windows.some((w) => w.length > 0) ? { maintenances, alternateWindows: windows, parsers: used } : { maintenances, parsers: used };
}

/**
 * The last step for every provider's records: the summary with its whitespace collapsed to
 * single spaces and trimmed, so it does not depend on the provider's markup (line breaks,
 * indentation, &nbsp;). Deliberately unlike the reference, which keeps whitespace as emitted.
 */
function finalise(record: Record<string, unknown>): Record<string, unknown> {
  if (typeof record.summary === 'string') record.summary = collapseWhitespace(record.summary);
  return record;
}

/** Runs of whitespace (Unicode, no-break space included) as one space, trimmed. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** circuit-maintenance-parser's CombinedProcessor: single records are common data, lists expand. */
function combine(outputs: PartialMaintenance[][]): PartialMaintenance[] {
  let common: PartialMaintenance = {};
  const expanded: PartialMaintenance[] = [];
  for (const records of outputs) {
    if (records.length === 1) common = { ...common, ...stripUndefined(records[0]) };
    else expanded.push(...records);
  }
  if (expanded.length === 0) return [common];
  return expanded.map((r) => ({ ...common, ...stripUndefined(r) }));
}

function stripUndefined(r: PartialMaintenance): PartialMaintenance {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
  return out as PartialMaintenance;
}

/** Fills what the reference library fills when a notice does not say it. */
export function withDefaults(record: PartialMaintenance, provider: ProviderDefinition): Record<string, unknown> {
  return {
    provider: provider.type,
    organizer: provider.defaultOrganizer,
    uid: '0',
    sequence: 1,
    summary: '',
    ...stripUndefined(record),
  };
}

/**
 * True when the notification passes the provider's filters: include passes when any pattern of
 * any listed data type matches (circuit-maintenance-parser's semantics: a calendar OR a subject
 * may mark a notice); exclude fails when any pattern matches.
 */
export function passesFilters(provider: ProviderDefinition, data: NotificationData): { ok: true } | { ok: false; reason: string } {
  const matches = (filter: PartFilter): DataPart['type'] | undefined => {
    for (const [type, patterns] of Object.entries(filter) as [DataPart['type'], readonly RegExp[]][]) {
      for (const part of data.parts) {
        if (part.type === type && typeof part.content === 'string' && patterns.some((re) => re.test(part.content as string))) return type;
      }
    }
    return undefined;
  };
  if (provider.include && !matches(provider.include)) {
    return { ok: false, reason: `no ${Object.keys(provider.include).join(' or ')} part matches the provider's include patterns (not a maintenance notice)` };
  }
  const excluded = provider.exclude && matches(provider.exclude);
  if (excluded) return { ok: false, reason: `the ${excluded} part matches an exclude pattern of the provider` };
  return { ok: true };
}
