import 'reflect-metadata';
import { Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { ModuleRef, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { z } from 'zod';
import { Bus, MessagingModule, connectJetStream, type ConsumerSpec } from '@maintwatch/messaging';
import {
  MetricsService,
  ObservabilityModule,
  PinoNestLogger,
  createLogger,
  loadConfigOrExit,
  redactUrl,
  type HealthChecks,
} from '@maintwatch/observability';
import { processEnv, type ServiceEnv } from './config';

/** What a service is: its name, its config schema, its feature module and its consumers. */
export interface ServiceDefinition<S extends z.ZodObject> {
  name: string;
  /** The app's env schema (extends serviceEnv). */
  config: S;
  /** The app's feature module, given the validated config. */
  module: (config: z.output<S>) => Type | DynamicModule;
  /** Durable consumers whose messages go to the app's @EventPattern handlers. */
  consumers?: (config: z.output<S>) => ConsumerSpec[];
  /** Readiness checks besides NATS (e.g. PostgreSQL), resolved from the app's providers. */
  checks?: (moduleRef: ModuleRef) => HealthChecks;
  /** Extra setup of the HTTP app (routes, Swagger) before it listens. */
  configure?: (app: NestFastifyApplication, config: z.output<S>) => void | Promise<void>;
}

/**
 * Boots a service the one way every Maintwatch service boots: config validated (exit 78 with
 * every bad variable listed), JSON logs (pretty on request), NATS connected and streams
 * provisioned, /healthz /readyz /metrics, the JetStream transport for its handlers, and a
 * graceful shutdown on SIGTERM/SIGINT that finishes in-flight messages first.
 */
export async function runService<S extends z.ZodObject>(
  def: ServiceDefinition<S>,
  env: Readonly<Record<string, string | undefined>> = processEnv(),
): Promise<INestApplication> {
  const config = loadConfigOrExit(def.config, env, def.name) as z.output<S> & ServiceEnv;
  const logger = createLogger({ appName: def.name, level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule(def, config), new FastifyAdapter({ bodyLimit: config.HTTP_BODY_LIMIT_BYTES }), {
    logger: new PinoNestLogger(logger),
    bufferLogs: true,
    abortOnError: false,
  });
  await def.configure?.(app, config);
  const consumers = def.consumers?.(config) ?? [];
  if (consumers.length > 0) {
    const metrics = app.get(MetricsService);
    const handled = metrics.counter({
      name: 'maintwatch_messages_total',
      help: 'Messages consumed, by subject and outcome (ack, nak, term)',
      labelNames: ['subject', 'outcome'],
    });
    const seconds = metrics.histogram({
      name: 'maintwatch_message_handle_seconds',
      help: 'Time to handle one message, by subject',
      labelNames: ['subject'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    });
    connectJetStream(app, {
      service: def.name,
      consumers,
      hooks: {
        onOutcome: ({ subject, outcome, durationMs, error, deliveryCount }) => {
          handled.inc({ subject, outcome });
          seconds.observe({ subject }, durationMs / 1000);
          if (error) {
            const msg = `${subject}: ${outcome} after delivery ${deliveryCount}: ${(error as Error)?.message ?? String(error)}`;
            if (outcome === 'nak') logger.warn(msg);
            else logger.error(msg);
          }
        },
        onError: (err, where) => logger.warn(`${where}: ${(err as Error)?.message ?? String(err)}`),
      },
    });
    await app.startAllMicroservices();
  }
  await app.listen(config.PORT, config.HOST);
  const url = await app.getUrl();
  // Own signal handling instead of enableShutdownHooks (which re-raises the signal, so the
  // process ends "killed" rather than exiting 0): close drains consumers first, then the bus.
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info(`${signal}: finishing in-flight work and stopping`);
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 25 s; exiting');
      process.exit(1);
    }, 25_000);
    force.unref();
    // Says what still holds the process when a stop is slow (once seen in CI: nothing logged
    // between SIGTERM and the harness's SIGKILL 15 s later).
    const slow = setTimeout(() => {
      const resources = process.getActiveResourcesInfo().reduce<Record<string, number>>((acc, r) => ((acc[r] = (acc[r] ?? 0) + 1), acc), {});
      logger.warn(`still stopping after 10 s; active resources: ${Object.entries(resources).map(([k, n]) => `${k}x${n}`).join(', ')}`);
    }, 10_000);
    slow.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error(`shutdown failed: ${(err as Error)?.message ?? String(err)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  logger.info(`${def.name} ready on ${url} (NATS ${redactUrl(config.NATS_URL.join(','))})`);
  return app;
}

function rootModule<S extends z.ZodObject>(def: ServiceDefinition<S>, config: z.output<S> & ServiceEnv): Type {
  @Module({
    imports: [
      MessagingModule.forRoot({
        servers: config.NATS_URL,
        name: def.name,
        namespace: config.NATS_NAMESPACE,
        user: config.NATS_USER,
        pass: config.NATS_PASSWORD,
        token: config.NATS_TOKEN,
        tls: config.NATS_CA_FILE ? { caFile: config.NATS_CA_FILE } : undefined,
        duplicateWindowMs: config.NATS_DUPLICATE_WINDOW_MS,
        provision: config.NATS_PROVISION,
        replicas: config.NATS_STREAM_REPLICAS,
      }),
      ObservabilityModule.forRootAsync({
        inject: [Bus, ModuleRef],
        useFactory: (bus: Bus, moduleRef: ModuleRef) => ({
          appName: def.name,
          checks: { nats: () => bus.ping(), ...(def.checks?.(moduleRef) ?? {}) },
        }),
      }),
      def.module(config),
    ],
  })
  class ServiceRootModule {}
  return ServiceRootModule;
}
