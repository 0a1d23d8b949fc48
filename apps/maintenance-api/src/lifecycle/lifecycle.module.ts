import { Module, type DynamicModule } from '@nestjs/common';
import { LifecycleClock } from './lifecycle-clock.service';
import { LIFECYCLE_OPTIONS, type LifecycleOptions } from './lifecycle.options';
import { OutboxRelay } from './outbox-relay.service';
import { OutboxSignal } from './outbox-signal';
import { SnapshotLoader } from './snapshot-loader';

/**
 * Lifecycle events out: the outbox relay and the clock (global, so that every feature that
 * writes events in its transaction can wake the relay and build snapshots).
 */
@Module({})
export class LifecycleModule {
  static forRoot(options: LifecycleOptions): DynamicModule {
    return {
      module: LifecycleModule,
      global: true,
      providers: [{ provide: LIFECYCLE_OPTIONS, useValue: options }, OutboxSignal, SnapshotLoader, OutboxRelay, LifecycleClock],
      exports: [OutboxSignal, SnapshotLoader, OutboxRelay, LifecycleClock],
    };
  }
}
