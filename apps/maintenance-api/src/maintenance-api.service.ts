import { CONSUMERS, SUBJECTS } from '@maintwatch/contracts';
import { Store } from '@maintwatch/persistence';
import type { ServiceDefinition } from '@maintwatch/runtime';
import { configureApi } from './api/configure-api';
import { serveWeb } from './web/serve-web';
import { AppModule } from './app.module';
import { apiConfig } from './config';

/** maintenance-api as a service: raw notices, parser output and drain steps in, PostgreSQL behind, lifecycle events out. */
export const maintenanceApiService: ServiceDefinition<typeof apiConfig> = {
  name: 'maintenance-api',
  config: apiConfig,
  module: (config) => AppModule.forRoot(config),
  consumers: (config) => {
    // While PostgreSQL is away every message is nak'd with a delay; many deliveries are
    // allowed so that an outage dead-letters nothing.
    const retry = { maxDeliver: config.INTAKE_MAX_DELIVER, nakBaseDelayMs: 500, nakMaxDelayMs: config.INTAKE_RETRY_MAX_MS, ackWaitMs: config.INTAKE_ACK_WAIT_MS };
    return [
      { stream: 'NOTICES', durable: CONSUMERS.apiNotices, filterSubject: 'notice.>', concurrency: config.NOTICES_CONCURRENCY, ...retry },
      { stream: 'MAINTENANCE', durable: CONSUMERS.apiMaintenance, filterSubject: SUBJECTS.maintenanceParsed, concurrency: config.PARSED_CONCURRENCY, ...retry },
      // From the stream's start: a first deploy learns the drains the gateway already announced.
      { stream: 'DEVICE', durable: CONSUMERS.apiDrains, filterSubject: SUBJECTS.drainStepAll, concurrency: 4, ...retry },
    ];
  },
  configure: async (app, config) => {
    configureApi(app);
    await serveWeb(app, config.WEB_DIR);
  },
  checks: (moduleRef) => ({ postgres: () => moduleRef.get(Store, { strict: false }).ping() }),
};
