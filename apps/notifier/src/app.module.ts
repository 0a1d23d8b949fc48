import { Module, type DynamicModule } from '@nestjs/common';
import { routingOf, type NotifierConfig } from './config';
import { DeliveryService, ROUTING } from './delivery/delivery.service';
import { DeliveryStore } from './delivery/delivery.store';
import { NotifierMetrics } from './delivery/notifier.metrics';
import { DeviceEventConsumer } from './events/device-event.consumer';
import { DrainStepConsumer } from './events/drain-step.consumer';
import { LifecycleConsumer } from './events/lifecycle.consumer';

/** The notifier service: events in, routed, delivered to Slack, Teams, webhooks or the console. */
@Module({})
export class AppModule {
  /** The module for a validated config (the routing was checked when the config was loaded). */
  static forRoot(config: NotifierConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [LifecycleConsumer, DeviceEventConsumer, DrainStepConsumer],
      providers: [{ provide: ROUTING, useValue: routingOf(config) }, DeliveryStore, NotifierMetrics, DeliveryService],
    };
  }
}
