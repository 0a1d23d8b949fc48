import { Module, type DynamicModule } from '@nestjs/common';
import { cachingResolver } from './authenticity/verify-authenticity';
import type { ParserConfig } from './config';
import { defaultWorkers } from './parsing/parse-pool';
import { ParsingModule } from './parsing/parsing.module';

/** The parser service: stateless, raw notices in, maintenances out. */
@Module({})
export class AppModule {
  static forRoot(config: ParserConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ParsingModule.forRoot({
          verifyDkim: config.PARSER_DKIM_VERIFY,
          trustedAuthservIds: config.PARSER_TRUSTED_AUTHSERV_IDS,
          resolver: cachingResolver({ servers: config.PARSER_DNS_SERVERS, timeoutMs: config.PARSER_DNS_TIMEOUT_MS }),
        }, {
          workers: config.PARSER_WORKERS ?? defaultWorkers(config.PARSER_CONCURRENCY),
          timeoutMs: config.PARSER_TIMEOUT_MS,
          memoryMb: config.PARSER_WORKER_MEMORY_MB,
          maxPartBytes: config.PARSER_MAX_PART_BYTES,
        }),
      ],
    };
  }
}
