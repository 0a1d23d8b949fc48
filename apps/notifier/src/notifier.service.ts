import { CONSUMERS, SUBJECTS } from '@maintwatch/contracts';
import type { ServiceDefinition } from '@maintwatch/runtime';
import { AppModule } from './app.module';
import { notifierConfig } from './config';

/** The notifier as a service: every lifecycle event. */
export const notifierService: ServiceDefinition<typeof notifierConfig> = {
  name: 'notifier',
  config: notifierConfig,
  module: () => AppModule,
  consumers: () => [{ stream: 'MAINTENANCE', durable: CONSUMERS.notifierEvents, filterSubject: SUBJECTS.maintenanceEventAll }],
};
