import type { ServiceDefinition } from '@maintwatch/runtime';
import { AppModule } from './app.module';
import { ingestConfig } from './config';

/** ingest as a service: publishes only, consumes nothing. */
export const ingestService: ServiceDefinition<typeof ingestConfig> = {
  name: 'ingest',
  config: ingestConfig,
  module: () => AppModule,
};
