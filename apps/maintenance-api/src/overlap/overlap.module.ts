import { Module, type DynamicModule } from '@nestjs/common';
import { DetectOverlapsUseCase } from './detect-overlaps.use-case';
import { OVERLAP_OPTIONS, type OverlapOptions } from './overlap.options';

/** Overlap alerts (global: the intake runs them in its transaction, the API after inventory changes). */
@Module({})
export class OverlapModule {
  static forRoot(options: OverlapOptions): DynamicModule {
    return { module: OverlapModule, global: true, providers: [{ provide: OVERLAP_OPTIONS, useValue: options }, DetectOverlapsUseCase], exports: [DetectOverlapsUseCase] };
  }
}
