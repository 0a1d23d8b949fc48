import { CircuitImpactEntity } from './circuit-impact.entity';
import { CircuitNameEntity } from './circuit-name.entity';
import { CircuitEntity } from './circuit.entity';
import { ClockStateEntity, OutboxEntity } from './lifecycle.entities';
import { MaintenanceWindowEntity } from './maintenance-window.entity';
import { MaintenanceEntity } from './maintenance.entity';
import { NoteEntity } from './note.entity';
import { IgnoredRecordEntity, ParsedRecordEntity, RawNoticeEntity, UnparsedRecordEntity } from './notice.entities';
import { ProviderEntity } from './provider.entity';
import { ApiTokenEntity } from '../api/api-token.entity';
import { MaintenanceOverlapEntity } from '../api/maintenance-overlap.entity';
import { DeviceEventEntity } from '../gateway/device-event.entity';

export * from './circuit-impact.entity';
export * from './circuit-name.entity';
export * from './circuit.entity';
export * from './lifecycle.entities';
export * from './maintenance-window.entity';
export * from './maintenance.entity';
export * from './note.entity';
export * from './notice.entities';
export * from './provider.entity';

/** Every entity of the store. */
export const ENTITIES = [
  ProviderEntity,
  CircuitEntity,
  CircuitNameEntity,
  MaintenanceEntity,
  MaintenanceWindowEntity,
  CircuitImpactEntity,
  NoteEntity,
  RawNoticeEntity,
  ParsedRecordEntity,
  UnparsedRecordEntity,
  IgnoredRecordEntity,
  OutboxEntity,
  ClockStateEntity,
  ApiTokenEntity,
  MaintenanceOverlapEntity,
  DeviceEventEntity,
];
