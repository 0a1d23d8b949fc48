import type { EntityManager } from 'typeorm';
import { CircuitRepository } from './circuit.repository';
import { ClockRepository } from './clock.repository';
import { MaintenanceRepository } from './maintenance.repository';
import { NoticeRepository } from './notice.repository';
import { OutboxRepository } from './outbox.repository';
import { ProviderRepository } from './provider.repository';
import { ApiRepositories } from '../api';
import { DrainJobRepository } from '../gateway/drain-job.repository';
import { DeviceEventRepository } from '../gateway/device-event.repository';
import { DeviceActionRepository } from '../gateway/device-action.repository';

/** Every repository, bound to one EntityManager (the pool, or one transaction). */
export class Repositories {
  readonly providers: ProviderRepository;
  readonly circuits: CircuitRepository;
  readonly maintenances: MaintenanceRepository;
  readonly notices: NoticeRepository;
  readonly outbox: OutboxRepository;
  readonly clock: ClockRepository;
  /** The HTTP API's queries, tokens and overlaps. */
  readonly api: ApiRepositories;
  /** junos-gateway: drain jobs and their audit. */
  readonly drains: DrainJobRepository;
  /** junos-gateway: device events (schema gateway), also its outbox. */
  readonly deviceEvents: DeviceEventRepository;
  /** junos-gateway: the operator action audit, also the outbox of action results. */
  readonly deviceActions: DeviceActionRepository;

  constructor(manager: EntityManager) {
    this.providers = new ProviderRepository(manager);
    this.circuits = new CircuitRepository(manager);
    this.maintenances = new MaintenanceRepository(manager);
    this.notices = new NoticeRepository(manager);
    this.outbox = new OutboxRepository(manager);
    this.clock = new ClockRepository(manager);
    this.api = new ApiRepositories(manager);
    this.drains = new DrainJobRepository(manager);
    this.deviceEvents = new DeviceEventRepository(manager);
    this.deviceActions = new DeviceActionRepository(manager);
  }
}
