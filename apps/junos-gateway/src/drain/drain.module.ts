import { Module, type DynamicModule } from '@nestjs/common';
import { ReadTokenGuard } from '../events/read-token.guard';
import { DrainConsumer } from './drain.consumer';
import { DrainRelay } from './drain-relay.service';
import { DRAIN_DEVICES, DRAIN_OPTIONS, DrainRunner, type DrainOptions } from './drain-runner.service';
import { DrainsController } from './drains.controller';
import type { JunosConfigFactory } from './junos-config';

/** Drain and restore of circuits around their maintenances. */
@Module({})
export class DrainModule {
  static forRoot(options: DrainOptions, devices: JunosConfigFactory): DynamicModule {
    return {
      module: DrainModule,
      controllers: [DrainConsumer, DrainsController],
      providers: [{ provide: DRAIN_OPTIONS, useValue: options }, { provide: DRAIN_DEVICES, useValue: devices }, DrainRunner, DrainRelay, ReadTokenGuard],
    };
  }
}
