import { Module, type DynamicModule } from '@nestjs/common';
import { ReadTokenGuard } from '../events/read-token.guard';
import { ActionMetrics } from './action.metrics';
import { ActionRelay } from './action-relay.service';
import { ACTIONS_OPTIONS, ActionsService, type ActionsOptions } from './actions.service';
import { ActionsController } from './actions.controller';
import { DeviceActionConsumer } from './device-action.consumer';
import { WriteTokenGuard } from './write-token.guard';

/** Operator actions on devices, from REST and device.action.v1.*, audited and announced. */
@Module({})
export class ActionsModule {
  static forRoot(options: ActionsOptions): DynamicModule {
    return {
      module: ActionsModule,
      controllers: [DeviceActionConsumer, ActionsController],
      providers: [{ provide: ACTIONS_OPTIONS, useValue: options }, ActionsService, ActionRelay, ActionMetrics, ReadTokenGuard, WriteTokenGuard],
    };
  }
}
