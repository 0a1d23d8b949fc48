import { Module, type DynamicModule } from '@nestjs/common';
import type { ApiConfig } from './config';
import { DATABASE_OPTIONS, Database } from './intake/database';
import { IntakeConsumer } from './intake/intake.consumer';

/** maintenance-api: the system of record. */
@Module({})
export class AppModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [IntakeConsumer],
      providers: [{ provide: DATABASE_OPTIONS, useValue: { url: config.DATABASE_URL, caFile: config.DATABASE_CA_FILE } }, Database],
      exports: [Database],
    };
  }
}
