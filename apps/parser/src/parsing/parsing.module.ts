import { Module, type DynamicModule } from '@nestjs/common';
import { AUTHENTICITY_OPTIONS } from '../authenticity/authenticity.options';
import type { AuthenticityOptions } from '../authenticity/verify-authenticity';
import { NoticeConsumer } from './notice.consumer';
import { ParsePool, type ParsePoolOptions } from './parse-pool';
import { ParseNoticeUseCase } from './parse-notice.use-case';
import { ParserMetrics } from './parser.metrics';
import { ProviderOverridesService } from './provider-overrides.service';

/** Raw notice in, maintenances / unparsed / ignored out. */
@Module({})
export class ParsingModule {
  static forRoot(authenticity: AuthenticityOptions, pool: ParsePoolOptions): DynamicModule {
    return {
      module: ParsingModule,
      controllers: [NoticeConsumer],
      providers: [
        ParseNoticeUseCase,
        ProviderOverridesService,
        ParserMetrics,
        { provide: AUTHENTICITY_OPTIONS, useValue: authenticity },
        { provide: ParsePool, useFactory: (metrics: ParserMetrics) => new ParsePool(pool, (reason) => metrics.abandoned(reason)), inject: [ParserMetrics] },
      ],
    };
  }
}
