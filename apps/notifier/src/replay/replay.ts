import { DateTime } from 'luxon';
import { CONSUMERS, type StreamKey } from '@maintwatch/contracts';
import type { Bus } from '@maintwatch/messaging';

/** Durable consumer of unparsed notices (the "unparsed" routing event), beside CONSUMERS.notifierEvents. */
export const UNPARSED_CONSUMER = 'notifier-unparsed';

/** The notifier's durable consumers: the streams it reads, and under which names. */
export const NOTIFIER_CONSUMERS: readonly { stream: StreamKey; durable: string }[] = [
  { stream: 'MAINTENANCE', durable: CONSUMERS.notifierEvents },
  { stream: 'NOTICES', durable: UNPARSED_CONSUMER },
];

/** What a replay did to one consumer. */
export interface ReplayedConsumer {
  stream: StreamKey;
  durable: string;
  /** Stored messages from `since` on that the notifier will take in again. */
  pending: number;
}

/**
 * Reads `--since`: an ISO 8601 date or date-time; without an offset it is UTC.
 * Returns undefined when it is not one.
 */
export function parseSince(text: string): Date | undefined {
  const t = DateTime.fromISO(text.trim(), { zone: 'utc' });
  return t.isValid ? t.toJSDate() : undefined;
}

/**
 * Moves the notifier's consumers back to `since`: every event and unparsed notice stored from
 * then on is taken in again. Deliveries are unique by (event, destination), so a destination
 * that already got an event gets nothing new; a destination added since gets the past events.
 * A consumer the notifier never created is reported as missing (start the notifier once first).
 */
export async function replayNotifier(bus: Bus, since: Date): Promise<ReplayedConsumer[]> {
  const out: ReplayedConsumer[] = [];
  for (const c of NOTIFIER_CONSUMERS) {
    const { pending } = await bus.replayConsumer(c.stream, c.durable, since);
    out.push({ ...c, pending });
  }
  return out;
}
