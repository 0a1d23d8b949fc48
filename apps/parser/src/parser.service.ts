import { CONSUMERS, SUBJECTS } from '@maintwatch/contracts';
import type { ServiceDefinition } from '@maintwatch/runtime';
import { AppModule } from './app.module';
import { parserConfig } from './config';

/** The parser as a service: one durable consumer on notice.received (replicas share it). */
export const parserService: ServiceDefinition<typeof parserConfig> = {
  name: 'parser',
  config: parserConfig,
  module: (config) => AppModule.forRoot(config),
  consumers: (config) => [
    {
      stream: 'NOTICES',
      durable: CONSUMERS.parserNotices,
      filterSubject: SUBJECTS.noticeReceived,
      concurrency: config.PARSER_CONCURRENCY,
      maxDeliver: config.PARSER_MAX_DELIVER,
      ackWaitMs: config.PARSER_ACK_WAIT_MS,
    },
  ],
};
