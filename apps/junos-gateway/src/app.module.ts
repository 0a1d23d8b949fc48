import { Module, type DynamicModule } from '@nestjs/common';
import { PersistenceModule } from '@maintwatch/persistence';
import { ActionsModule } from './actions/actions.module';
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
      imports: [
        PersistenceModule.forRoot({ url: config.DATABASE_URL, caFile: config.DATABASE_CA_FILE, tlsInsecure: config.DATABASE_TLS_INSECURE, poolSize: config.DATABASE_POOL_SIZE, applicationName: 'junos-gateway' }),
        events,
        ActionsModule.forRoot({
          devicesFile: config.JUNOS_DEVICES_FILE,
          hostKeysFile: config.JUNOS_HOST_KEYS_FILE,
          outputMaxChars: config.ACTION_OUTPUT_MAX_CHARS,
          ...(config.JTAC_FTP_HOST
            ? {
                ftp: {
                  host: config.JTAC_FTP_HOST,
                  port: config.JTAC_FTP_PORT,
                  dir: config.JTAC_FTP_DIR,
                  user: config.JTAC_FTP_USER,
                  password: config.JTAC_FTP_PASSWORD ?? '',
                  tls: config.JTAC_FTP_TLS,
                  ...(config.JTAC_FTP_CA_FILE ? { caFile: config.JTAC_FTP_CA_FILE } : {}),
                },
              }
            : {}),
        }),
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
