import { ConfigurableModuleBuilder } from '@nestjs/common';

/** A readiness check: resolves (to anything but `false`) when the dependency is usable, else throws. */
export type HealthCheck = () => unknown;

/** Readiness checks by name, e.g. `{ nats: () => ..., postgres: () => ... }`. */
export type HealthChecks = Readonly<Record<string, HealthCheck>>;

/** Options of `ObservabilityModule.forRoot` / `forRootAsync`. */
export interface ObservabilityModuleOptions {
  /** Becomes the `app` label on every metric. */
  appName: string;
  /** Run on every GET /readyz, in parallel. None = always ready. */
  checks?: HealthChecks;
  /** How long a check may take before it counts as failed. Defaults to 2000 ms. */
  readinessTimeoutMs?: number;
  /** Collect Node.js process metrics. Defaults to true. */
  defaultMetrics?: boolean;
}

/** Default of `readinessTimeoutMs`. */
export const DEFAULT_READINESS_TIMEOUT_MS = 2000;

/** Nest's generated forRoot / forRootAsync base class, and the injection token of the options. */
export const { ConfigurableModuleClass: ObservabilityConfigurableModule, MODULE_OPTIONS_TOKEN: OBSERVABILITY_OPTIONS } = new ConfigurableModuleBuilder<ObservabilityModuleOptions>()
  .setClassMethodName('forRoot')
  // Global by default: MetricsService is needed in every feature module of an app.
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
