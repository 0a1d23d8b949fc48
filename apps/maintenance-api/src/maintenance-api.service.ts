import { CONSUMERS, SUBJECTS } from '@maintwatch/contracts';
import type { ServiceDefinition } from '@maintwatch/runtime';
import { AppModule } from './app.module';
import { apiConfig } from './config';
import { Database } from './intake/database';

/** maintenance-api as a service: raw notices and parser output in, PostgreSQL behind. */
export const maintenanceApiService: ServiceDefinition<typeof apiConfig> = {
  name: 'maintenance-api',
  config: apiConfig,
  module: (config) => AppModule.forRoot(config),
  consumers: () => [
    { stream: 'NOTICES', durable: CONSUMERS.apiNotices, filterSubject: 'notice.>', concurrency: 4 },
    { stream: 'MAINTENANCE', durable: CONSUMERS.apiMaintenance, filterSubject: SUBJECTS.maintenanceParsed, concurrency: 4 },
  ],
  checks: (moduleRef) => ({ postgres: () => moduleRef.get(Database, { strict: false }).ping() }),
};
