import type { Bus } from '@maintwatch/messaging';
import { NoticePublisher } from '../publishing/notice-publisher';
import { readMailSource } from './mail-sources';

/** Options of one backfill run. */
export interface BackfillOptions {
  path: string;
  source: string;
  since?: Date;
  providerHint?: string;
  /** Mails published at once (JetStream acks are awaited in parallel). Default 64. */
  concurrency?: number;
  /** Largest mail published whole (INGEST_MAX_MAIL_BYTES). */
  maxMailBytes?: number;
  onMail?: (origin: string, status: string, noticeId?: string) => void;
}

/** Counts of a backfill run. */
export interface BackfillReport {
  read: number;
  published: number;
  alreadySeen: number;
  skippedBeforeSince: number;
}

/**
 * Publishes every mail of an mbox, .eml folder or Maildir exactly like a live source: same notice
 * ids, same seen-set, so a second run (a week later, or of an overlapping export) publishes
 * nothing new. Mails are published concurrently; a failure stops the run after the mails in flight
 * (those acknowledged stay published, and a re-run skips them).
 */
export async function backfill(bus: Bus, options: BackfillOptions): Promise<BackfillReport> {
  const publisher = new NoticePublisher(bus, options.maxMailBytes);
  const report: BackfillReport = { read: 0, published: 0, alreadySeen: 0, skippedBeforeSince: 0 };
  const pool = new Pool(options.concurrency ?? 64);
  for await (const mail of readMailSource(options.path)) {
    report.read++;
    await pool.run(async () => {
      const notice = await publisher.prepare(mail.raw, options.source);
      if (options.since && notice.headers.date && notice.headers.date < options.since) {
        report.skippedBeforeSince++;
        options.onMail?.(mail.origin, 'before --since');
        return;
      }
      const result = await publisher.publish(notice, { source: options.source, providerHint: options.providerHint, receivedAt: notice.headers.date });
      if (result.status === 'published') report.published++;
      else report.alreadySeen++;
      options.onMail?.(mail.origin, result.status, result.noticeId);
    });
  }
  await pool.drain();
  return report;
}

/**
 * At most `size` tasks at once; the first failure is thrown by the next run() or by drain().
 * A dozen lines by hand: p-limit is ESM-only from v4 and this workspace builds CommonJS.
 */
class Pool {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly size: number) {}

  async run(task: () => Promise<void>): Promise<void> {
    this.throwIfFailed();
    while (this.running.size >= this.size) await Promise.race(this.running);
    this.throwIfFailed();
    const p: Promise<void> = task()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  async drain(): Promise<void> {
    await Promise.all(this.running);
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
