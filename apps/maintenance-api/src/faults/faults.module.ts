import { Module, type DynamicModule } from '@nestjs/common';
import type { FailpointName } from '../config';
import { FAILPOINTS, Failpoints } from './failpoints';

/** Crash points for crash tests (global; off unless FAILPOINTS names some). */
@Module({})
export class FaultsModule {
  static forRoot(names: readonly FailpointName[]): DynamicModule {
    return { module: FaultsModule, global: true, providers: [{ provide: FAILPOINTS, useValue: names }, Failpoints], exports: [Failpoints] };
  }
}
