import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Bus } from '@maintwatch/messaging';
import { CursorStore } from '../cursors/cursor-store';
import { GmailSource } from '../gmail/gmail-source';
import { ImapSource } from '../imap/imap-source';
import { NoticePublisher } from '../publishing/notice-publisher';
import { SourceHealthBoard } from './source-health';
import { SourceSupervisor, type MailSource } from './source-supervisor';
import type { SourcesFile } from './sources-file';

/** Injection token of the validated sources file. */
export const SOURCES_FILE = Symbol('SOURCES_FILE');
/** Injection token of the largest mail published whole (INGEST_MAX_MAIL_BYTES). */
export const MAX_MAIL_BYTES = Symbol('MAX_MAIL_BYTES');

/** Starts every configured source once the app is up, and stops them (in-flight publishes first) before NATS closes. */
@Injectable()
export class SourceRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Sources');
  private supervisor: SourceSupervisor | undefined;

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(SourceHealthBoard) private readonly board: SourceHealthBoard,
    @Inject(SOURCES_FILE) private readonly file: SourcesFile,
    @Inject(MAX_MAIL_BYTES) private readonly maxMailBytes: number,
  ) {}

  onApplicationBootstrap(): void {
    const { sources, defaults } = this.file;
    if (sources.length === 0) {
      this.logger.log('no mail sources configured (INGEST_SOURCES_FILE unset or empty): `npm run import` publishes backfills');
      return;
    }
    const publisher = new NoticePublisher(this.bus, this.maxMailBytes);
    const cursors = new CursorStore(this.bus);
    const live: MailSource[] = sources.map((config) => {
      const deps = { publisher, cursors, health: this.board.get(config.name), logger: this.logger, lookbackDays: defaults.lookbackDays };
      return config.type === 'imap' ? new ImapSource(config, deps) : new GmailSource(config, deps);
    });
    this.supervisor = new SourceSupervisor(live, this.board, defaults.reconnect, this.logger);
    this.supervisor.start();
    this.logger.log(`${live.length} mail source(s): ${sources.map((s) => `${s.name} (${s.type})`).join(', ')}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.supervisor?.stop();
  }
}
