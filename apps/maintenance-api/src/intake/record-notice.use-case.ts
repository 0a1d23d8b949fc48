import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NoticeIgnored, NoticeUnparsed, RawNotice } from '@maintwatch/contracts';
import { Store, isTransientStoreError } from '@maintwatch/persistence';
import { MicroBatcher } from './micro-batcher';

/** Raw notices up to this size share a statement with those arriving meanwhile; larger ones are stored alone. */
export const BATCHED_RAW_BYTES = 256 * 1024;
/** Records (raw notices, unparsed, ignored) in one statement at most. */
const BATCH = 64;

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
  private readonly raw = batched<RawNotice, 'stored' | 'known'>(
    (all) => this.store.repos.notices.saveRawMany(all),
    (n) => this.store.repos.notices.saveRaw(n.meta, n.body),
    (n) => n.meta.noticeId,
  );
  // Unparsed and ignored records the same way: mostly one at a time while the parser trickles
  // them out, many per statement when a backlog is worked off (after a restart, a reprocess).
  private readonly unparsedRecords = batched<NoticeUnparsed, boolean>(
    (all) => this.store.repos.notices.recordUnparsedMany(all),
    (u) => this.store.repos.notices.recordUnparsed(u),
    (u) => u.noticeId,
  );
  private readonly ignoredRecords = batched<NoticeIgnored, boolean>(
    (all) => this.store.repos.notices.recordIgnoredMany(all),
    (i) => this.store.repos.notices.recordIgnored(i),
    (i) => i.noticeId,
  );

  constructor(@Inject(Store) private readonly store: Store) {}

  /** Stores the raw notice; 'known' when its id was stored before. */
  async received(notice: RawNotice): Promise<'stored' | 'known'> {
    if (notice.body.byteLength > BATCHED_RAW_BYTES) return this.store.repos.notices.saveRaw(notice.meta, notice.body);
    return this.raw.submit(notice);
  }

  /** Records a notice the parser could not read, with the reasons. */
  async unparsed(u: NoticeUnparsed): Promise<boolean> {
    const fresh = await this.unparsedRecords.submit(u);
    if (fresh) this.logger.warn(`notice ${u.noticeId} unparsed (${u.providerType ?? 'unknown provider'}): ${u.reasons.join('; ')}`);
    return fresh;
  }

  /** Records a mail that is not a maintenance notice, with the reason. */
  async ignored(i: NoticeIgnored): Promise<boolean> {
    return this.ignoredRecords.submit(i);
  }
}

/** A two-lane MicroBatcher keyed by notice id whose batches run through settle(). */
function batched<I, O>(many: (items: I[]) => Promise<O[]>, one: (item: I) => Promise<O>, noticeIdOf: (item: I) => string): MicroBatcher<I, O> {
  return new MicroBatcher<I, O>((items) => settle(items, many, one), BATCH, 2, noticeIdOf);
}

/**
 * Runs a batch in one statement. When the statement fails for a reason that is not PostgreSQL
 * being away or contended (then every item is retried by its message), one item the store
 * refuses must not take the others with it: they are stored one by one, each with its own answer.
 */
async function settle<I, O>(items: I[], many: (items: I[]) => Promise<O[]>, one: (item: I) => Promise<O>): Promise<PromiseSettledResult<O>[]> {
  try {
    const results = await many(items);
    return results.map((value) => ({ status: 'fulfilled', value }));
  } catch (err) {
    if (items.length === 1 || isTransientStoreError(err)) return items.map(() => ({ status: 'rejected', reason: err }));
    return Promise.all(
      items.map((item) =>
        one(item).then(
          (value) => ({ status: 'fulfilled', value }) as const,
          (reason: unknown) => ({ status: 'rejected', reason }) as const,
        ),
      ),
    );
  }
}
