import type { Bus } from '@maintwatch/messaging';
import { NoticePublisher, readHeaders } from '../publishing/notice-publisher';
import { readMailSource } from './mail-sources';

/** Options of one backfill run. */
export interface BackfillOptions {
  path: string;
  source: string;
  since?: Date;
  providerHint?: string;
  onMail?: (origin: string, status: string, noticeId?: string) => void;
}

/** Counts of a backfill run. */
export interface BackfillReport {
  read: number;
  published: number;
  alreadySeen: number;
  skippedBeforeSince: number;
}

/** Publishes every mail of an mbox, .eml folder or Maildir exactly like a live source. */
export async function backfill(bus: Bus, options: BackfillOptions): Promise<BackfillReport> {
  const publisher = new NoticePublisher(bus);
  const report: BackfillReport = { read: 0, published: 0, alreadySeen: 0, skippedBeforeSince: 0 };
  for await (const mail of readMailSource(options.path)) {
    report.read++;
    const headers = await readHeaders(mail.raw);
    if (options.since && headers.date && headers.date < options.since) {
      report.skippedBeforeSince++;
      options.onMail?.(mail.origin, 'before --since');
      continue;
    }
    const result = await publisher.publish(mail.raw, { source: options.source, providerHint: options.providerHint, headers });
    if (result.status === 'published') report.published++;
    else report.alreadySeen++;
    options.onMail?.(mail.origin, result.status, result.noticeId);
  }
  return report;
}
