export { DeviceEventEntity } from './device-event.entity';
export { DeviceEventRepository, type DeviceEventInput, type DeviceEventRecord, type DeviceEventQuery } from './device-event.repository';
export { DeviceActionRepository, type DeviceActionInput, type DeviceActionOutcome, type DeviceActionQuery, type DeviceActionRecord } from './device-action.repository';
