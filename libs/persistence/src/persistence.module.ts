import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { StoreOptions } from './data-source';
import { Store } from './store';

/** Injection token of the StoreOptions. */
export const STORE_OPTIONS = Symbol('STORE_OPTIONS');

/** Starts the store in the background at boot (the app boots even while PostgreSQL is away) and closes it at shutdown. */
@Injectable()
export class StoreLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Store');
  private lastError = '';

  constructor(@Inject(Store) private readonly store: Store) {}

  onModuleInit(): void {
    this.store.startInBackground({
      onError: (err) => {
        // Logged once per distinct reason: the retries run every second.
        const reason = (err as Error)?.message ?? String(err);
        if (reason !== this.lastError) this.logger.warn(`PostgreSQL not reached yet, retrying: ${reason}`);
        this.lastError = reason;
      },
    });
    void this.store.whenStarted().then(() => this.logger.log('store started (schema up to date)'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/**
 * Provides the `Store` (PostgreSQL through TypeORM, migrated at start) to a Nest app. Not
 * @nestjs/typeorm's TypeOrmModule: that one blocks boot until the database answers (and then
 * gives up), where maintenance-api must boot, report not-ready and connect when it can.
 */
@Module({})
export class PersistenceModule {
  /** The store for these options (global). */
  static forRoot(options: StoreOptions): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      providers: [{ provide: STORE_OPTIONS, useValue: options }, { provide: Store, useFactory: () => new Store(options) }, StoreLifecycle],
      exports: [Store],
    };
  }
}
