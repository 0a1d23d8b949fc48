import { CONSUMERS, SUBJECTS } from '@maintwatch/contracts';
import type { ServiceDefinition } from '@maintwatch/runtime';
import { AppModule } from './app.module';
import { notifierConfig } from './config';
import { UNPARSED_CONSUMER } from './replay/replay';

export { UNPARSED_CONSUMER };
/** Durable consumer of the junos-gateway's device events (the "device-event" routing event). */
export const DEVICE_EVENTS_CONSUMER = 'notifier-device-events';
/** Durable consumer of the junos-gateway's drain steps (the "drain" routing event). */
export const DRAIN_STEPS_CONSUMER = 'notifier-drain-steps';

/**
 * The notifier as a service: every lifecycle event and every unparsed notice, each on its own
 * durable consumer. Handling a message only records its deliveries, so it is quick; the
 * deliveries themselves run per destination.
 */
export const notifierService: ServiceDefinition<typeof notifierConfig> = {
  name: 'notifier',
  config: notifierConfig,
  module: (config) => AppModule.forRoot(config),
  // Taking an event in takes milliseconds, so a short ack wait: after a crash, the events that
  // were not yet recorded come back within seconds. A consumer created now starts at "now": a
  // first deploy (or a new namespace) must not post the stream's whole history; past events are
  // taken in again only on request (`npm run notifier:replay -- --since TIME`).
  consumers: (config) => [
    { stream: 'MAINTENANCE', durable: CONSUMERS.notifierEvents, filterSubject: SUBJECTS.maintenanceEventAll, concurrency: config.NOTIFIER_CONCURRENCY, ackWaitMs: 10_000, startAt: 'new' },
    { stream: 'NOTICES', durable: UNPARSED_CONSUMER, filterSubject: SUBJECTS.noticeUnparsed, concurrency: config.NOTIFIER_CONCURRENCY, ackWaitMs: 10_000, startAt: 'new' },
    { stream: 'DEVICE', durable: DEVICE_EVENTS_CONSUMER, filterSubject: SUBJECTS.deviceEventAll, concurrency: config.NOTIFIER_CONCURRENCY, ackWaitMs: 10_000, startAt: 'new' },
    { stream: 'DEVICE', durable: DRAIN_STEPS_CONSUMER, filterSubject: SUBJECTS.drainStepAll, concurrency: config.NOTIFIER_CONCURRENCY, ackWaitMs: 10_000, startAt: 'new' },
  ],
};
