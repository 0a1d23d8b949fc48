import { Module } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { ObservabilityController } from './observability.controller';
import {
  OBSERVABILITY_OPTIONS,
  ObservabilityConfigurableModule,
  type ObservabilityModuleOptions,
} from './observability.module-definition';
import { ReadinessService } from './readiness.service';

/**
 * GET /healthz, /readyz and /metrics, and a global MetricsService. Import once, in the app module:
 * `ObservabilityModule.forRoot({ appName, checks })`, or `forRootAsync({ imports, inject, useFactory })`
 * when the checks need providers of other modules (the NATS connection, the DataSource).
 */
@Module({
  controllers: [ObservabilityController],
  providers: [
    ReadinessService,
    {
      provide: MetricsService,
      inject: [OBSERVABILITY_OPTIONS],
      useFactory: (options: ObservabilityModuleOptions) =>
        new MetricsService(options.appName, { defaultMetrics: options.defaultMetrics }),
    },
  ],
  exports: [MetricsService],
})
export class ObservabilityModule extends ObservabilityConfigurableModule {}
