import { Module, type DynamicModule } from '@nestjs/common';
import { PersistenceModule } from '@maintwatch/persistence';
import { DeviceActionConsumer } from './actions/device-action.consumer';
import type { JunosConfig } from './config';
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
