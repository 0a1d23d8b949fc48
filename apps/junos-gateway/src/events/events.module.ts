import { Module, type DynamicModule } from '@nestjs/common';
import { DeviceEventRelay, RELAY_OPTIONS, type RelayOptions } from './device-event-relay.service';
import { DeviceEventsController } from './device-events.controller';
import { EventSignal } from './event-signal';
import { PRIORITIES_FILE, PriorityRulesService } from './priority-rules.service';
import { ReadTokenGuard } from './read-token.guard';

/** Device events: priorities, the stored events' relay to NATS, and their REST list. */
@Module({})
export class EventsModule {
  static forRoot(options: { prioritiesFile?: string; relay: RelayOptions }): DynamicModule {
    return {
      module: EventsModule,
      controllers: [DeviceEventsController],
      providers: [
        { provide: PRIORITIES_FILE, useValue: options.prioritiesFile },
        { provide: RELAY_OPTIONS, useValue: options.relay },
        PriorityRulesService,
        EventSignal,
        DeviceEventRelay,
        ReadTokenGuard,
      ],
      exports: [PriorityRulesService, EventSignal, DeviceEventRelay],
    };
  }
}
