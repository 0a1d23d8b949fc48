import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NoticeIgnored, NoticeUnparsed, RawNotice } from '@maintwatch/contracts';
import { Store } from '@maintwatch/persistence';

/**
 * Keeps what the notices stream brings: the raw bytes (copied from the object store by the
 * messaging lib when the mail was large; kept for download and reprocessing) once per notice
 * id, and the unparsed / ignored records with their reasons once per (notice, attempt).
 */
@Injectable()
export class RecordNoticeUseCase {
  private readonly logger = new Logger(RecordNoticeUseCase.name);

  constructor(@Inject(Store) private readonly store: Store) {}

  /** Stores the raw notice; 'known' when its id was stored before. */
  async received(notice: RawNotice): Promise<'stored' | 'known'> {
    return this.store.repos.notices.saveRaw(notice.meta, notice.body);
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
