// Public entry of @maintwatch/persistence: the only place that touches TypeORM. Apps use the
// Store and its repositories; entities and migrations are exported for tools and tests.

export { Store, type TransactionOptions } from './store';
export { ChannelListener } from './listener';
export { createDataSource, type StoreOptions } from './data-source';
export { postgresTls, postgresTlsProblem, checkDatabaseTls, type DatabaseEnv, type PostgresTlsOptions, type PostgresTlsSettings } from './postgres-tls';
export { PersistenceModule, StoreLifecycle, STORE_OPTIONS } from './persistence.module';
export { StoreUnavailableError, StoreContentionError, StoreConflictError, StoreNotFoundError, DatabaseTlsConfigError, isTransientStoreError } from './errors';
export { translateError, isConnectionError } from './pg-errors';
export { Repositories } from './repositories';
export { ProviderRepository, type BuiltInProvider, type ProviderEdit } from './repositories/provider.repository';
export { CircuitRepository, type CircuitInput, type CircuitPatch } from './repositories/circuit.repository';
export {
  MaintenanceRepository,
  type MaintenanceFields,
  type NewMaintenance,
  type MaintenancePatch,
  type ImpactInput,
  type NoteInput,
  type MaintenanceWithCircuits,
} from './repositories/maintenance.repository';
export { NoticeRepository, type StoredRawNotice, type ParsedRecordInput, type NoticeOutcomeInput, type UnparsedInput, type IgnoredInput } from './repositories/notice.repository';
export { OutboxRepository, type OutboxInput } from './repositories/outbox.repository';
export { ClockRepository, LOCKS } from './repositories/clock.repository';
export {
  circuitKey,
  epoch,
  fromEpoch,
  pgText,
  type ProviderRecord,
  type CircuitRecord,
  type MaintenanceRecord,
  type ImpactRecord,
  type WindowRecord,
  type WindowLabel,
  type NoteRecord,
  type ParsedRecord,
  type OutboxRecord,
} from './models';
export {
  ENTITIES,
  CIRCUIT_TYPES,
  CLOCK_PHASES,
  NOTE_LEVELS,
  PARSED_OUTCOMES,
  type CircuitType,
  type ClockPhase,
  type NoteLevel,
  type ParsedOutcome,
} from './entities';
export { MIGRATIONS, API_TOKEN_CHANNEL } from './migrations';
// The HTTP API's repositories (tokens, list queries, overlaps) and their records.
export * from './api';
export { DrainJobRepository, type DrainJob, type DrainJobInput, type DrainState, type DrainStepRecord } from './gateway/drain-job.repository';
// junos-gateway's device events (schema gateway).
export * from './gateway';
