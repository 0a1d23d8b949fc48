import { Module, type DynamicModule } from '@nestjs/common';
import type { IngestConfig } from './config';
import { SourcesModule } from './sources/sources.module';

/** ingest: live mail sources (IMAP, Gmail) publish raw notices; backfill is `npm run import`. */
@Module({})
export class AppModule {
  /** The app for a validated config. */
  static forRoot(config: IngestConfig): DynamicModule {
    return { module: AppModule, imports: [SourcesModule.forRoot(config.INGEST_SOURCES_FILE, config.INGEST_MAX_MAIL_BYTES)] };
  }
}
