import { Module, type DynamicModule } from '@nestjs/common';
import { ReceiveWebhook, WEBHOOK_OPTIONS, type WebhookOptions } from './receive-webhook.use-case';
import { WebhookMetrics } from './webhook.metrics';

/** Signed device webhooks in (the route itself is registered by registerWebhookRoute). */
@Module({})
export class WebhooksModule {
  static forRoot(options: WebhookOptions, events: DynamicModule): DynamicModule {
    return {
      module: WebhooksModule,
      imports: [events],
      providers: [{ provide: WEBHOOK_OPTIONS, useValue: options }, WebhookMetrics, ReceiveWebhook],
      exports: [ReceiveWebhook],
    };
  }
}
