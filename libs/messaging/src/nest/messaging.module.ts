import { Inject, Injectable, Module, type DynamicModule, type INestApplication, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { Bus, type BusOptions } from '../bus';
import type { ConsumerHooks, ConsumerSpec } from '../consumer';
import { JetStreamExceptionFilter, JetStreamTransport } from './jetstream.transport';

/** Injection token of the BusOptions. */
export const BUS_OPTIONS = Symbol('BUS_OPTIONS');

/** Owns the app's Bus: connects and provisions at start, drains at shutdown. */
@Injectable()
export class BusLifecycle implements OnApplicationShutdown {
  constructor(@Inject(Bus) private readonly bus: Bus) {}
  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}

/** Provides a connected, provisioned `Bus` to the app. */
@Module({})
export class MessagingModule {
  /** The bus for these options. Connection and provisioning happen before the app starts. */
  static forRoot(options: BusOptions): DynamicModule {
    const busProvider: Provider = {
      provide: Bus,
      useFactory: async () => {
        const bus = await Bus.connect(options);
        if (options.provision !== false) await bus.provision();
        return bus;
      },
    };
    return {
      module: MessagingModule,
      global: true,
      providers: [{ provide: BUS_OPTIONS, useValue: options }, busProvider, BusLifecycle],
      exports: [Bus],
    };
  }
}

/**
 * Attaches the JetStream transport to a Nest app: its `@EventPattern` handlers consume the
 * given durable consumers. Call before `app.startAllMicroservices()`.
 */
export function connectJetStream(
  app: INestApplication,
  options: { service: string; consumers: ConsumerSpec[]; hooks?: ConsumerHooks },
): JetStreamTransport {
  const strategy = new JetStreamTransport({ ...options, bus: () => app.get(Bus) });
  // deferInitialization: a hybrid microservice is otherwise marked initialised at once, and
  // Nest then ignores useGlobalFilters (with only a warning), which would let its default
  // filter turn every error into a plain object and hide transient from permanent.
  const ms = app.connectMicroservice({ strategy }, { inheritAppConfig: false, deferInitialization: true });
  // ...but the app itself runs the init/bootstrap hooks of the shared container: a deferred
  // microservice would run them a second time (two relays, two watches) unless told not to.
  (ms as unknown as { setIsInitHookCalled(v: boolean): void }).setIsInitHookCalled(true);
  ms.useGlobalFilters(new JetStreamExceptionFilter());
  return strategy;
}
