import type { AlternateWindow, CircuitImpact, Maintenance } from '@maintwatch/contracts';

/**
 * The data types a notification is split into, as in circuit-maintenance-parser's
 * NotificationData. Header types carry the decoded header value as text.
 */
export type DataType =
  | 'ical'
  | 'html'
  | 'text'
  | 'csv'
  | 'xlsx'
  | 'email-header-date'
  | 'email-header-subject'
  | 'email-header-from';

/** A text part: decoded to a JS string (charset already applied). */
export interface TextPart {
  type: Exclude<DataType, 'xlsx'>;
  content: string;
  filename?: string;
}
/** A binary part (spreadsheets). */
export interface BinaryPart {
  type: 'xlsx';
  content: Buffer;
  filename?: string;
}
/** One typed piece of a notification. */
export type DataPart = TextPart | BinaryPart;

/** A notification split into typed parts, plus what provider selection needs. */
export interface NotificationData {
  parts: DataPart[];
  /** Lower-cased sender address: the forwarded original's when the mail was a forward. */
  sender?: string;
  /** The outer mail's sender when it differs (the forwarder). */
  forwardedBy?: string;
  subject?: string;
  /** Problems met while reading the mail that did not stop it (bad charset, broken part). */
  warnings: string[];
}

/**
 * What a parser returns: any subset of a maintenance's keys, and further windows of the same
 * maintenance (kept beside the strict 12-key record, see ProviderRun.alternateWindows).
 */
export type PartialMaintenance = Partial<Omit<Maintenance, 'circuits'>> & { circuits?: CircuitImpact[]; alternateWindows?: AlternateWindow[] };

/** What a parser sees besides its part. */
export interface ParserContext {
  provider: ProviderDefinition;
  notification: NotificationData;
}

/**
 * A parser reads one data type and returns partial records (circuit-maintenance-parser's
 * Parser). It throws a ParserError (or any Error) when the part is not in its format;
 * it returns [] when the part is in its format but holds nothing for it.
 */
export interface Parser {
  readonly name: string;
  readonly dataTypes: readonly DataType[];
  parse(part: DataPart, ctx: ParserContext): PartialMaintenance[];
}

/**
 * How a processor combines its parsers' output.
 * - simple: every record any parser returns is a whole maintenance (iCalendar).
 * - combined: records from parsers that return exactly one record are merged into common
 *   data (subject, date, body); parsers that return several records give one maintenance
 *   each, with the common data under it (several windows in one mail).
 */
export type ProcessorKind = 'simple' | 'combined';

/** An ordered list of parsers and the way their output becomes maintenances. */
export interface ProcessorDefinition {
  readonly kind: ProcessorKind;
  readonly parsers: readonly Parser[];
}

/** Regular expressions per data type: include = at least one must match, exclude = none may. */
export type PartFilter = Partial<Record<DataType, readonly RegExp[]>>;

/**
 * A provider is data: who sends its mail, its default organizer, and the processors to try
 * in order (circuit-maintenance-parser's GenericProvider subclasses).
 */
export interface ProviderDefinition {
  /** Registry type: lower-case, stable, the maintenance key's first half (e.g. "zayo"). */
  readonly type: string;
  /** Human name. */
  readonly name: string;
  /** Sender addresses ("noc@x.com") or domains ("x.com", matching subdomains too). */
  readonly senders: readonly string[];
  /** Fills `organizer` when the notice does not name one. */
  readonly defaultOrganizer: string;
  readonly processors: readonly ProcessorDefinition[];
  /** A notice that fails these filters is not a maintenance notice for this provider (ignored). */
  readonly include?: PartFilter;
  readonly exclude?: PartFilter;
}

/** An operator's edit of a provider (from the `providers` KV bucket); wins over the built-in. */
export interface ProviderOverride {
  type: string;
  name?: string;
  senders?: string[];
  defaultOrganizer?: string;
  enabled?: boolean;
}

/** How one processor attempt ended. */
export interface ProcessorAttempt {
  processor: number;
  kind: ProcessorKind;
  parsers: string[];
  reasons: string[];
}

/** The outcome of parsing one notification: never an exception. */
export type ParseOutcome =
  | {
      kind: 'parsed';
      providerType: string;
      /** Names of the parsers whose output made the maintenances. */
      parsers: string[];
      maintenances: Maintenance[];
      /** Per maintenance (same index), its further windows; absent when no maintenance has any. */
      alternateWindows?: AlternateWindow[][];
      warnings: string[];
    }
  | {
      kind: 'unparsed';
      providerType?: string;
      sender?: string;
      subject?: string;
      reasons: string[];
      attempts: ProcessorAttempt[];
    }
  | { kind: 'ignored'; providerType?: string; sender?: string; subject?: string; reason: string };
