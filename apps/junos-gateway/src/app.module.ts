import { Module, type DynamicModule } from '@nestjs/common';
import { PersistenceModule } from '@maintwatch/persistence';
import { DeviceActionConsumer } from './actions/device-action.consumer';
import type { JunosConfig } from './config';
import { DrainModule } from './drain/drain.module';
import { drainDevices } from './drain/drain-devices';
import { EventsModule } from './events/events.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** The junos-gateway service. */
@Module({})
export class AppModule {
  static forRoot(config: JunosConfig): DynamicModule {
    const events = EventsModule.forRoot({ prioritiesFile: config.JUNOS_PRIORITIES_FILE, relay: { pollMs: config.JUNOS_OUTBOX_POLL_MS, batch: 256 } });
    return {
      module: AppModule,
      controllers: [DeviceActionConsumer],
      imports: [
        PersistenceModule.forRoot({ url: config.DATABASE_URL, caFile: config.DATABASE_CA_FILE, poolSize: config.DATABASE_POOL_SIZE, applicationName: 'junos-gateway' }),
        events,
        DrainModule.forRoot(
          {
            tickMs: config.DRAIN_TICK_MS,
            settleSeconds: config.DRAIN_SETTLE_SECONDS,
            establishSeconds: config.DRAIN_ESTABLISH_SECONDS,
            restoreRetrySeconds: config.DRAIN_RESTORE_RETRY_SECONDS,
            maxAttempts: config.DRAIN_MAX_ATTEMPTS,
            leaseSeconds: config.DRAIN_LEASE_SECONDS,
          },
          drainDevices(config),
        ),
        ...(config.JUNOS_WEBHOOK_SECRETS
          ? [
              WebhooksModule.forRoot(
                {
                  secrets: config.JUNOS_WEBHOOK_SECRETS,
                  windowSeconds: config.JUNOS_WEBHOOK_WINDOW_SECONDS,
                  acceptLegacy: config.JUNOS_WEBHOOK_ACCEPT_LEGACY,
                  maxBytes: config.JUNOS_WEBHOOK_MAX_BYTES,
                  ratePerSecond: config.JUNOS_WEBHOOK_RATE_PER_SECOND,
                  rateBurst: config.JUNOS_WEBHOOK_RATE_BURST,
                },
                events,
              ),
            ]
          : []),
      ],
    };
  }
}
