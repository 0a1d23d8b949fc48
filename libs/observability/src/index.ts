// Public entry of @maintwatch/observability: config validation, logging, metrics, health.
// Import only from here.

export { ConfigError, type ConfigProblem } from './errors';
export { loadConfig, loadConfigOrExit, EX_CONFIG, type Env } from './config/load-config';
export { natsUrl, databaseUrl, port, logLevel, logFormat, envBoolean, secretFromEnvOrFile } from './config/env';

export {
  createLogger,
  LOG_LEVELS,
  LOG_FORMATS,
  type LogLevel,
  type LogFormat,
  type LoggerOptions,
} from './logging/logger';
export { redactUrl } from './logging/redact';
export { PinoNestLogger } from './logging/pino-nest-logger';
export { CORRELATION_HEADER, withCorrelation, currentCorrelationId, newCorrelationId } from './logging/correlation';

export { MetricsService, createMetricsRegistry, type MetricsOptions } from './metrics/metrics.service';

export { ObservabilityModule } from './health/observability.module';
export { ObservabilityController, OBSERVABILITY_ROUTES } from './health/observability.controller';
export { Public, PUBLIC_ROUTE } from './health/public-route';
export { type CheckResult, type ReadinessReport } from './health/readiness.service';
export {
  OBSERVABILITY_OPTIONS,
  DEFAULT_READINESS_TIMEOUT_MS,
  type HealthCheck,
  type HealthChecks,
  type ObservabilityModuleOptions,
} from './health/observability.module-definition';
