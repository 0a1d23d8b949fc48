import { Module, type DynamicModule } from '@nestjs/common';
import { hostname } from 'node:os';
import { PersistenceModule } from '@maintwatch/persistence';
import type { ApiConfig } from './config';
import { ApiModule } from './api/api.module';
import { AuthenticationModule } from './authentication/authentication-policy';
import { FaultsModule } from './faults/faults.module';
import { IntakeModule } from './intake/intake.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { ProvidersModule } from './providers/providers.module';

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** maintenance-api: the system of record. */
@Module({})
export class AppModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PersistenceModule.forRoot({
          url: config.DATABASE_URL,
          caFile: config.DATABASE_CA_FILE,
          tlsInsecure: config.DATABASE_TLS_INSECURE,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'maintenance-api',
        }),
        FaultsModule.forRoot(config.FAILPOINTS),
        AuthenticationModule.forRoot(config.ALLOW_UNAUTHENTICATED_PROVIDERS),
        ProvidersModule,
        LifecycleModule.forRoot({
          outboxPollMs: config.OUTBOX_POLL_MS,
          outboxBatch: config.OUTBOX_BATCH,
          clockEnabled: config.CLOCK_ENABLED,
          clockIntervalMs: config.CLOCK_INTERVAL_MS,
          leadSeconds: config.STARTING_SOON_LEAD_SECONDS,
          replica: `${hostname()}:${process.pid}`,
          now: nowSeconds,
        }),
        ApiModule.forRoot(config),
        IntakeModule.forRoot({
          unknownCircuits: config.UNKNOWN_CIRCUITS,
          linkHorizonSeconds: config.RESCHEDULE_LINK_HORIZON_HOURS * 3600,
          leadSeconds: config.STARTING_SOON_LEAD_SECONDS,
          batchSize: config.PARSED_BATCH,
          batchesInFlight: config.PARSED_BATCHES_IN_FLIGHT,
          now: nowSeconds,
        }),
      ],
    };
  }
}
