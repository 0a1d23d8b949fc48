import { Module } from '@nestjs/common';
import { NoticeConsumer } from './notice.consumer';
import { ParseNoticeUseCase } from './parse-notice.use-case';
import { ParserMetrics } from './parser.metrics';
import { ProviderOverridesService } from './provider-overrides.service';

/** Raw notice in, maintenances / unparsed / ignored out. */
@Module({
  controllers: [NoticeConsumer],
  providers: [ParseNoticeUseCase, ProviderOverridesService, ParserMetrics],
})
export class ParsingModule {}
