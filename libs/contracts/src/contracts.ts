import type { z } from 'zod';
import { DeadLetter } from './deadletter';
import { DeviceAction, DeviceActionProgress, DeviceActionResult, DeviceEvent, DrainStepEvent } from './device';
import { LifecycleEvent } from './lifecycle';
import { DEVICE_ACTIONS, DEVICE_EVENT_KINDS, DRAIN_STEPS, LIFECYCLE_TYPES, STREAMS, SUBJECTS, type StreamKey } from './names';
import type { DeviceActionType, DeviceEventKind, DrainStepType, LifecycleType } from './names';
import { MaintenanceParsed, NoticeIgnored, NoticeUnparsed } from './notices';

/**
 * Subject -> JSON payload type. Publishing a payload on a subject it does not belong to is a
 * compile error. `notice.received.v1` is not here: its body is raw bytes (see RawNotice).
 */
export type JsonSubjects = {
  'notice.unparsed.v1': NoticeUnparsed;
  'notice.ignored.v1': NoticeIgnored;
  'maintenance.parsed.v1': MaintenanceParsed;
  'device.action-result.v1': DeviceActionResult;
  'device.action-progress.v1': DeviceActionProgress;
} & { [K in LifecycleType as `maintenance.event.v1.${K}`]: LifecycleEvent } & {
  [K in DeviceEventKind as `device.event.v1.${K}`]: DeviceEvent;
} & { [K in DeviceActionType as `device.action.v1.${K}`]: DeviceAction } & {
  [K in DrainStepType as `device.drain.v1.${K}`]: DrainStepEvent;
} & {
  [K in `deadletter.v1.${string}`]: DeadLetter;
};
/** A subject that carries JSON. */
export type JsonSubject = keyof JsonSubjects & string;
/** The payload type of a JSON subject. */
export type PayloadOf<S extends JsonSubject> = JsonSubjects[S];

/** One row of the contract table (also the source of libs/contracts/README.md). */
export interface ContractEntry {
  /** Subject, or a pattern with one trailing token (`maintenance.event.v1.<type>`). */
  subject: string;
  /** Concrete subjects (every value of the trailing token), or the subject itself. */
  subjects: readonly string[];
  stream: StreamKey;
  producer: string;
  consumers: string;
  payload: string;
  /** Runtime schema; undefined for raw bytes. */
  schema?: z.ZodType;
}

/** Every subject with its stream, producer, consumers and payload. */
export const CONTRACTS: readonly ContractEntry[] = [
  {
    subject: SUBJECTS.noticeReceived,
    subjects: [SUBJECTS.noticeReceived],
    stream: 'NOTICES',
    producer: 'ingest (maintenance-api on reprocess, attempt + 1)',
    consumers: 'parser, maintenance-api',
    payload: 'raw RFC 822 bytes; RawNoticeMeta in headers; empty body + Maintwatch-Object header when larger than max_payload',
  },
  {
    subject: SUBJECTS.noticeUnparsed,
    subjects: [SUBJECTS.noticeUnparsed],
    stream: 'NOTICES',
    producer: 'parser',
    consumers: 'maintenance-api',
    payload: 'NoticeUnparsed',
    schema: NoticeUnparsed,
  },
  {
    subject: SUBJECTS.noticeIgnored,
    subjects: [SUBJECTS.noticeIgnored],
    stream: 'NOTICES',
    producer: 'parser',
    consumers: 'maintenance-api',
    payload: 'NoticeIgnored',
    schema: NoticeIgnored,
  },
  {
    subject: SUBJECTS.maintenanceParsed,
    subjects: [SUBJECTS.maintenanceParsed],
    stream: 'MAINTENANCE',
    producer: 'parser',
    consumers: 'maintenance-api',
    payload: 'MaintenanceParsed (envelope + the 12 circuit-maintenance-parser keys)',
    schema: MaintenanceParsed,
  },
  {
    subject: 'maintenance.event.v1.<type>',
    subjects: LIFECYCLE_TYPES.map((t) => SUBJECTS.maintenanceEvent(t)),
    stream: 'MAINTENANCE',
    producer: 'maintenance-api (outbox relay)',
    consumers: 'notifier, junos-gateway, users\' own subscribers',
    payload: `LifecycleEvent; <type> = ${LIFECYCLE_TYPES.join(' | ')}`,
    schema: LifecycleEvent,
  },
  {
    subject: 'device.event.v1.<kind>',
    subjects: DEVICE_EVENT_KINDS.map((k) => SUBJECTS.deviceEvent(k)),
    stream: 'DEVICE',
    producer: 'junos-gateway (signed device webhooks, through its outbox)',
    consumers: 'notifier (priority 1 and 2), users\' own subscribers',
    payload: `DeviceEvent; <kind> = ${DEVICE_EVENT_KINDS.join(' | ')}`,
    schema: DeviceEvent,
  },
  {
    subject: 'device.action.v1.<action>',
    subjects: DEVICE_ACTIONS.map((a) => SUBJECTS.deviceAction(a)),
    stream: 'DEVICE',
    producer: 'junos-gateway (from lifecycle events), operators, users',
    consumers: 'junos-gateway',
    payload: `DeviceAction; <action> = ${DEVICE_ACTIONS.join(' | ')}`,
    schema: DeviceAction,
  },
  {
    subject: SUBJECTS.deviceActionResult,
    subjects: [SUBJECTS.deviceActionResult],
    stream: 'DEVICE',
    producer: 'junos-gateway',
    consumers: 'notifier, users\' own subscribers',
    payload: 'DeviceActionResult',
    schema: DeviceActionResult,
  },
  {
    subject: SUBJECTS.deviceActionProgress,
    subjects: [SUBJECTS.deviceActionProgress],
    stream: 'DEVICE',
    producer: 'junos-gateway (long actions: jtac-bundle stages and upload bytes)',
    consumers: 'operators\' tools, users\' own subscribers',
    payload: 'DeviceActionProgress',
    schema: DeviceActionProgress,
  },
  {
    subject: 'device.drain.v1.<step>',
    subjects: DRAIN_STEPS.map((s) => SUBJECTS.drainStep(s)),
    stream: 'DEVICE',
    producer: 'junos-gateway (drain/restore around maintenances)',
    consumers: 'notifier, maintenance-api (the drain state on each maintenance), users\' own subscribers',
    payload: `DrainStepEvent; <step> = ${DRAIN_STEPS.join(' | ')}`,
    schema: DrainStepEvent,
  },
  {
    subject: 'deadletter.v1.<service>',
    subjects: [],
    stream: 'DEADLETTER',
    producer: 'every consumer (term after a permanent error or max deliveries)',
    consumers: 'operators (inspect, replay)',
    payload: 'DeadLetter',
    schema: DeadLetter,
  },
];

/** The runtime schema of a JSON subject, or undefined for raw/unknown subjects. */
export function schemaFor(subject: string): z.ZodType | undefined {
  for (const c of CONTRACTS) {
    if (c.subjects.includes(subject)) return c.schema;
    if (c.subjects.length === 0 && subject.startsWith(c.subject.replace(/<[^>]+>$/, ''))) return c.schema;
  }
  return undefined;
}

/** The stream that captures a subject. */
export function streamOf(subject: string): StreamKey {
  const key = (Object.keys(STREAMS) as StreamKey[]).find((k) =>
    STREAMS[k].subjects.some((s) => subject.startsWith(s.replace(/>$/, ''))),
  );
  if (!key) throw new Error(`no stream captures subject ${subject}`);
  return key;
}
