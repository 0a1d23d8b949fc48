// ---------------------------------------------------------------------------------------
// NEVER RENAME a subject, stream, bucket or header below: deployed consumers and users'
// own subscribers depend on them. To change a payload, add a new version (".v2") beside
// the old one and run both until every consumer has moved.
// ---------------------------------------------------------------------------------------

/** JetStream streams and the subjects each one captures. */
export const STREAMS = {
  NOTICES: { name: 'NOTICES', subjects: ['notice.>'] },
  MAINTENANCE: { name: 'MAINTENANCE', subjects: ['maintenance.>'] },
  DEVICE: { name: 'DEVICE', subjects: ['device.>'] },
  DEADLETTER: { name: 'DEADLETTER', subjects: ['deadletter.>'] },
} as const;
/** A stream key. */
export type StreamKey = keyof typeof STREAMS;

/** Lifecycle event types emitted by maintenance-api. */
export const LIFECYCLE_TYPES = [
  'new',
  'updated',
  'rescheduled',
  'cancelled',
  'starting-soon',
  'started',
  'ended',
  'overlap',
] as const;
/** One lifecycle event type. */
export type LifecycleType = (typeof LIFECYCLE_TYPES)[number];

/** Device event kinds received from Junos webhooks. */
export const DEVICE_EVENT_KINDS = ['bgp-state', 'interface-state', 'alarm', 'commit', 'syslog'] as const;
/** One device event kind. */
export type DeviceEventKind = (typeof DEVICE_EVENT_KINDS)[number];

/** Actions the junos-gateway performs on devices. */
// Never remove or rename one: add at the end (operators' scripts and subscribers name them).
export const DEVICE_ACTIONS = ['drain', 'restore', 'reboot', 'restart-daemon', 'collect-rsi', 'collect-logs', 'command', 'cancel-reboot', 'jtac-bundle'] as const;
/** One device action. */
export type DeviceActionType = (typeof DEVICE_ACTIONS)[number];

/** Steps of a drain job that the junos-gateway announces (and audits). */
export const DRAIN_STEPS = [
  'planned',
  'not-acted-on',
  'pre-check-failed',
  'dry-run',
  'committed-confirmed',
  'drained',
  'restore-held',
  'restore-committed-confirmed',
  'restored',
  'rolled-back',
  'cancelled',
  'failed',
] as const;
/** One drain step. */
export type DrainStepType = (typeof DRAIN_STEPS)[number];

/** Every subject, versioned. Parameterised subjects are built by the functions. */
export const SUBJECTS = {
  noticeReceived: 'notice.received.v1',
  noticeUnparsed: 'notice.unparsed.v1',
  noticeIgnored: 'notice.ignored.v1',
  maintenanceParsed: 'maintenance.parsed.v1',
  /** maintenance.event.v1.<type>; subscribe to all with maintenance.event.v1.> */
  maintenanceEvent: (type: LifecycleType) => `maintenance.event.v1.${type}` as const,
  maintenanceEventAll: 'maintenance.event.v1.>',
  /** device.event.v1.<kind> */
  deviceEvent: (kind: DeviceEventKind) => `device.event.v1.${kind}` as const,
  deviceEventAll: 'device.event.v1.>',
  /** device.action.v1.<action>: a request for the junos-gateway */
  deviceAction: (action: DeviceActionType) => `device.action.v1.${action}` as const,
  deviceActionAll: 'device.action.v1.>',
  /** device.action-result.v1: the outcome of a device action */
  deviceActionResult: 'device.action-result.v1',
  /** device.action-progress.v1: a stage of a long device action (JTAC bundle) */
  deviceActionProgress: 'device.action-progress.v1',
  /** device.drain.v1.<step>: a step of a circuit's drain or restore around its maintenance */
  drainStep: (step: DrainStepType) => `device.drain.v1.${step}` as const,
  drainStepAll: 'device.drain.v1.>',
  /** deadletter.v1.<service>: messages a consumer gave up on */
  deadLetter: (service: string) => `deadletter.v1.${service}` as const,
  deadLetterAll: 'deadletter.v1.>',
} as const;

/** JetStream KV buckets. */
export const KV_BUCKETS = {
  /** Provider table merged by maintenance-api (built-ins + operator edits); the parser watches it. */
  providers: 'providers',
  /** ingest: per source and mailbox, UIDVALIDITY + last published UID, or Gmail historyId. */
  ingestCursors: 'ingest-cursors',
  /** ingest: notice ids already published (a re-run backfill publishes nothing new). */
  ingestSeen: 'ingest-seen',
  /** notifier: deliveries by (event id, destination). */
  notifierDeliveries: 'notifier-deliveries',
} as const;

/** JetStream object stores. */
export const OBJECT_STORES = {
  /** Raw mails larger than the server's max_payload; short TTL (maintenance-api copies them). */
  largeNotices: 'notices-large',
} as const;

/** NATS headers carrying metadata. */
export const HEADERS = {
  msgId: 'Nats-Msg-Id',
  noticeId: 'Maintwatch-Notice-Id',
  source: 'Maintwatch-Source',
  receivedAt: 'Maintwatch-Received-At',
  sender: 'Maintwatch-Sender',
  subject: 'Maintwatch-Subject',
  size: 'Maintwatch-Size',
  sha256: 'Maintwatch-Sha256',
  providerHint: 'Maintwatch-Provider-Hint',
  attempt: 'Maintwatch-Attempt',
  correlationId: 'Maintwatch-Correlation-Id',
  /** "<bucket>/<object name>" when the body is in the object store. */
  objectRef: 'Maintwatch-Object',
  /** Set when ingest kept only the header block of a mail over its size limit: the mail's real size. */
  truncatedFrom: 'Maintwatch-Truncated-From',
  contentType: 'Content-Type',
} as const;

/** Durable consumer names: one per consuming service and purpose. */
export const CONSUMERS = {
  parserNotices: 'parser',
  apiNotices: 'maintenance-api-notices',
  apiMaintenance: 'maintenance-api-parsed',
  notifierEvents: 'notifier',
  junosEvents: 'junos-gateway-events',
  junosActions: 'junos-gateway-actions',
  /** junos-gateway: lifecycle events that schedule drains and restores. */
  junosDrain: 'junos-gateway-drain',
  /** maintenance-api: the gateway's drain steps, kept per maintenance for its page. */
  apiDrains: 'maintenance-api-drains',
} as const;
