import { Module, type DynamicModule } from '@nestjs/common';
import { MetricsService } from '@maintwatch/observability';
import { SourceHealthBoard } from './source-health';
import { DEFAULT_MAX_MAIL_BYTES } from '../publishing/notice-publisher';
import { MAX_MAIL_BYTES, SOURCES_FILE, SourceRunner } from './source-runner.service';
import type { SourcesFile } from './sources-file';

const NO_SOURCES: SourcesFile = { defaults: { lookbackDays: 7, reconnect: { minMs: 1000, maxMs: 60_000 } }, sources: [] };

/** The live mail sources of the sources file, their health and metrics. */
@Module({})
export class SourcesModule {
  /** The sources of a validated file (none when the file is not configured). */
  static forRoot(file: SourcesFile | undefined, maxMailBytes = DEFAULT_MAX_MAIL_BYTES): DynamicModule {
    const sources = file ?? NO_SOURCES;
    return {
      module: SourcesModule,
      providers: [
        { provide: SOURCES_FILE, useValue: sources },
        { provide: MAX_MAIL_BYTES, useValue: maxMailBytes },
        {
          provide: SourceHealthBoard,
          inject: [MetricsService],
          useFactory: (metrics: MetricsService) => new SourceHealthBoard(sources.sources.map((s) => s.name), metrics),
        },
        SourceRunner,
      ],
      exports: [SOURCES_FILE, SourceHealthBoard],
    };
  }
}
