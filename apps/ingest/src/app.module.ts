import { Module } from '@nestjs/common';

/** ingest: mail sources (IMAP, Gmail) arrive with the ingest issue; backfill is `npm run import`. */
@Module({})
export class AppModule {}
