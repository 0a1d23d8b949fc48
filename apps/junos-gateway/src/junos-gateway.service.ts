import { CONSUMERS, SUBJECTS } from '@maintwatch/contracts';
import type { ServiceDefinition } from '@maintwatch/runtime';
import { AppModule } from './app.module';
import { junosConfig } from './config';

/** The junos-gateway as a service: device action requests. */
export const junosGatewayService: ServiceDefinition<typeof junosConfig> = {
  name: 'junos-gateway',
  config: junosConfig,
  module: () => AppModule,
  consumers: () => [{ stream: 'DEVICE', durable: CONSUMERS.junosActions, filterSubject: SUBJECTS.deviceActionAll, concurrency: 2 }],
};
