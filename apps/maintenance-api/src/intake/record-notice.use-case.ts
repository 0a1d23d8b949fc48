import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NoticeIgnored, NoticeUnparsed, RawNotice } from '@maintwatch/contracts';
import { Store, isTransientStoreError } from '@maintwatch/persistence';
import { MicroBatcher } from './micro-batcher';

/** Raw notices up to this size share a statement with those arriving meanwhile; larger ones are stored alone. */
export const BATCHED_RAW_BYTES = 256 * 1024;
/** Raw notices in one statement at most. */
const RAW_BATCH = 64;

/**
 * Keeps what the notices stream brings: the raw bytes (copied from the object store by the
 * messaging lib when the mail was large; kept for download and reprocessing) once per notice
 * id, and the unparsed / ignored records with their reasons once per (notice, attempt).
 */
@Injectable()
export class RecordNoticeUseCase {
  private readonly logger = new Logger(RecordNoticeUseCase.name);

  // Notices that arrive while a statement runs share the next one: one round trip and one
  // commit for many (bench:e2e 2026-12-07: one INSERT per notice was most of the intake's
  // PostgreSQL time). Keyed lanes: one notice id is never in two statements at once.
  private readonly raw = new MicroBatcher<RawNotice, 'stored' | 'known'>((notices) => this.saveRaw(notices), RAW_BATCH, 2, (n) => n.meta.noticeId);

  constructor(@Inject(Store) private readonly store: Store) {}

  /** Stores the raw notice; 'known' when its id was stored before. */
  async received(notice: RawNotice): Promise<'stored' | 'known'> {
    if (notice.body.byteLength > BATCHED_RAW_BYTES) return this.store.repos.notices.saveRaw(notice.meta, notice.body);
    return this.raw.submit(notice);
  }

  private async saveRaw(notices: RawNotice[]): Promise<PromiseSettledResult<'stored' | 'known'>[]> {
    try {
      const results = await this.store.repos.notices.saveRawMany(notices);
      return results.map((value) => ({ status: 'fulfilled', value }));
    } catch (err) {
      if (notices.length === 1 || isTransientStoreError(err)) return notices.map(() => ({ status: 'rejected', reason: err }));
      // One notice the store refuses must not take the others with it: store them one by one.
      return Promise.all(
        notices.map((n) =>
          this.store.repos.notices.saveRaw(n.meta, n.body).then(
            (value) => ({ status: 'fulfilled', value }) as const,
            (reason: unknown) => ({ status: 'rejected', reason }) as const,
          ),
        ),
      );
    }
  }

  /** Records a notice the parser could not read, with the reasons. */
  async unparsed(u: NoticeUnparsed): Promise<boolean> {
    const fresh = await this.store.repos.notices.recordUnparsed(u);
    if (fresh) this.logger.warn(`notice ${u.noticeId} unparsed (${u.providerType ?? 'unknown provider'}): ${u.reasons.join('; ')}`);
    return fresh;
  }

  /** Records a mail that is not a maintenance notice, with the reason. */
  async ignored(i: NoticeIgnored): Promise<boolean> {
    return this.store.repos.notices.recordIgnored(i);
  }
}
