import { Logger } from '@nestjs/common';
import { CONSUMERS, SUBJECTS } from '@maintwatch/contracts';
import { Store } from '@maintwatch/persistence';
import type { ServiceDefinition } from '@maintwatch/runtime';
import { AppModule } from './app.module';
import { junosConfig } from './config';
import { registerWebhookRoute } from './webhooks/webhook.route';

/** The junos-gateway as a service: device action requests, signed device webhooks, device events out. */
export const junosGatewayService: ServiceDefinition<typeof junosConfig> = {
  name: 'junos-gateway',
  config: junosConfig,
  module: (config) => AppModule.forRoot(config),
  consumers: () => [
    { stream: 'DEVICE', durable: CONSUMERS.junosActions, filterSubject: SUBJECTS.deviceActionAll, concurrency: 2 },
    // Lifecycle events schedule drains; handling one only writes the job table, so it is quick.
    { stream: 'MAINTENANCE', durable: CONSUMERS.junosDrain, filterSubject: SUBJECTS.maintenanceEventAll, concurrency: 1, ackWaitMs: 30_000 },
  ],
  checks: (moduleRef) => ({ postgres: () => moduleRef.get(Store, { strict: false }).ping() }),
  configure: (app, config) => {
    if (config.JUNOS_WEBHOOK_SECRETS) registerWebhookRoute(app);
    else new Logger('Webhook').warn('JUNOS_WEBHOOK_SECRETS is not set: POST /webhook/junos is not served');
  },
};
