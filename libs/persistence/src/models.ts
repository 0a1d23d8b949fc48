import type { Authenticity, DeviceBinding, Impact, MaintenanceStatus } from '@maintwatch/contracts';
import type { CircuitType } from './entities/circuit.entity';
import type { ClockPhase } from './entities/maintenance.entity';
import type { NoteLevel } from './entities/note.entity';
import type { ParsedOutcome } from './entities/notice.entities';

// What the repositories return: plain records with times in UTC epoch seconds (as on the wire),
// never entities, so callers cannot lazy-load or save behind the repositories' back.

/** A provider as the system uses it: built-in defaults with the operator's edits applied. */
export interface ProviderRecord {
  type: string;
  name: string;
  senders: string[];
  defaultOrganizer?: string;
  enabled: boolean;
  builtIn: boolean;
  /** The operator's edits (absent: the built-in value is used). */
  edited: { name?: string; senders?: string[]; defaultOrganizer?: string };
}

/** A circuit with its names. */
export interface CircuitRecord {
  id: string;
  providerType: string;
  providerCircuitId: string;
  /** The circuit's primary name key (circuitKey of providerCircuitId). */
  key: string;
  aliases: string[];
  aSide?: string;
  zSide?: string;
  type?: CircuitType;
  description?: string;
  redundancyGroup?: string;
  deviceBinding?: DeviceBinding;
  verified: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A maintenance row. */
export interface MaintenanceRecord {
  id: string;
  providerType: string;
  maintenanceId: string;
  account: string;
  organizer: string;
  uid: string;
  status: MaintenanceStatus;
  start: number;
  end: number;
  summary: string;
  sequence: number;
  stamp: number;
  version: number;
  phase: ClockPhase;
  acknowledged?: { by: string; at: number };
  replacesId?: string;
  replacedById?: string;
  lastNoticeId?: string;
  /** How the notice that last set the maintenance was authenticated (absent: not checked). */
  authenticity?: Authenticity;
  createdAt: number;
  updatedAt: number;
}

/** A circuit named by a maintenance, with its impact and (when known) the circuit. */
export interface ImpactRecord {
  circuitKey: string;
  /** The circuit id as the notice wrote it. */
  circuitRef: string;
  impact: Impact;
  circuit?: CircuitRecord;
}

/** One window of a maintenance's history. */
export interface WindowRecord {
  start: number;
  end: number;
  sequence: number;
  stamp: number;
  noticeId?: string;
  recordedAt: number;
  /** primary: the maintenance's window at the time (the last primary one is the current window); backup: a further window the notice named. */
  label: WindowLabel;
}

/** What a window of a maintenance's history is. */
export type WindowLabel = 'primary' | 'backup';

/** A note on a maintenance. */
export interface NoteRecord {
  id: string;
  maintenanceId: string;
  author: string;
  level: NoteLevel;
  text: string;
  createdAt: number;
}

/** A parsed record. */
export interface ParsedRecord {
  noticeId: string;
  attempt: number;
  index: number;
  count: number;
  providerType: string;
  maintenanceKey: string;
  maintenanceId?: string;
  outcome: ParsedOutcome;
  parsers: string[];
  receivedAt: number;
}

/** A lifecycle event waiting in (or published from) the outbox. */
export interface OutboxRecord {
  /** Position: the relay publishes in this order. */
  id: string;
  eventId: string;
  type: string;
  maintenanceId?: string;
  payload: import('@maintwatch/contracts').LifecycleEvent;
  correlationId?: string;
  createdAt: number;
  publishedAt?: number;
}

/** Epoch seconds of a Date. */
export function epoch(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

/** A Date from epoch seconds. */
export function fromEpoch(s: number): Date {
  return new Date(s * 1000);
}

/**
 * The key a circuit name is compared by: providers write the same id with other case, spacing
 * or Unicode forms ("ogyx/100200//zyo", " OGYX/100200//ZYO"). Aliases cover other spellings.
 */
export function circuitKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Makes a string storable in PostgreSQL text/jsonb (which refuse NUL). */
export function pgText(s: string): string {
  return s.includes('\u0000') ? s.replaceAll('\u0000', '') : s;
}

/** JSON for a jsonb parameter, with every string made storable (pgText). */
export function pgJson(value: unknown): string {
  const json = JSON.stringify(value);
  // The replacer costs a call per value: only when a NUL is there to remove.
  return json.includes('\\u0000') ? JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? pgText(v) : v)) : json;
}
