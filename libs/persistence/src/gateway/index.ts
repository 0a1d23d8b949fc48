export { DeviceEventEntity } from './device-event.entity';
export { DeviceEventRepository, type DeviceEventInput, type DeviceEventRecord, type DeviceEventQuery } from './device-event.repository';
