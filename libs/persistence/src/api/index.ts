import type { EntityManager } from 'typeorm';
import { translateError } from '../pg-errors';
import { ApiTokenRepository } from './api-token.repository';
import { DrainStateRepository } from './drain-state.repository';
import { InventoryQueryRepository } from './inventory-query.repository';
import { MaintenanceQueryRepository } from './maintenance-query.repository';
import { NoticeQueryRepository } from './notice-query.repository';
import { OverlapRepository } from './overlap.repository';

export { ApiTokenEntity, TOKEN_SCOPES, type TokenScope } from './api-token.entity';
export { MaintenanceOverlapEntity } from './maintenance-overlap.entity';
export { ApiTokenRepository, type ApiTokenRecord } from './api-token.repository';
export { InvalidCursorError } from './errors';
export { type Page } from './cursor';
export {
  MaintenanceQueryRepository,
  MAINTENANCE_SORTS,
  MAINTENANCE_TIMES,
  type MaintenanceSort,
  type MaintenanceTime,
  type MaintenanceQuery,
  type MaintenanceListItem,
  type JsonPage,
  type ListedImpact,
  type MaintenanceNotice,
} from './maintenance-query.repository';
export { InventoryQueryRepository, type CircuitQuery, type RedundancyGroupRecord } from './inventory-query.repository';
export {
  NoticeQueryRepository,
  NOTICE_OUTCOMES,
  type NoticeOutcome,
  type NoticeListItem,
  type NoticeRecordItem,
  type NoticeQuery,
  type RecordQuery,
} from './notice-query.repository';
export { DrainStateRepository, type DrainStateRecord } from './drain-state.repository';
export { OverlapRepository, type OverlapMatch, type OverlapRecord, type OverlapUpsert } from './overlap.repository';

/** The repositories of the HTTP API, bound to one EntityManager (the pool, or one transaction). */
export class ApiRepositories {
  readonly tokens: ApiTokenRepository;
  readonly maintenances: MaintenanceQueryRepository;
  readonly inventory: InventoryQueryRepository;
  readonly notices: NoticeQueryRepository;
  readonly overlaps: OverlapRepository;
  /** The junos-gateway's announced drain steps, the latest per circuit and device. */
  readonly drains: DrainStateRepository;

  constructor(manager: EntityManager) {
    this.tokens = translated(new ApiTokenRepository(manager));
    this.maintenances = translated(new MaintenanceQueryRepository(manager));
    this.inventory = translated(new InventoryQueryRepository(manager));
    this.notices = translated(new NoticeQueryRepository(manager));
    this.overlaps = translated(new OverlapRepository(manager));
    this.drains = translated(new DrainStateRepository(manager));
  }
}

// The Store translates driver errors for the repositories it hands out, one level deep; these
// sit one level further (repos.api.<repo>), so they translate their own: PostgreSQL away or
// contended is a StoreUnavailableError / StoreContentionError here too.
function translated<T extends object>(repo: T): T {
  return new Proxy(repo, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (err) {
          throw translateError(err);
        }
      };
    },
  });
}
