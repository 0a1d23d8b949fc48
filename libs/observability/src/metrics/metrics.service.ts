import { Injectable } from '@nestjs/common';
import {
  collectDefaultMetrics,
  Counter,
  type CounterConfiguration,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  type Metric,
  Registry,
} from 'prom-client';

/** Options of `createMetricsRegistry` and `MetricsService`. */
export interface MetricsOptions {
  /** Collect Node.js process metrics (CPU, memory, event loop, GC). Defaults to true. */
  defaultMetrics?: boolean;
}

/** A prom-client Registry for one app: every metric carries `app=<appName>`, default metrics unprefixed. */
export function createMetricsRegistry(appName: string, options: MetricsOptions = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app: appName });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}

type OnRegistry<C> = Omit<C, 'registers'>;

/**
 * The app's metrics. `counter` / `histogram` / `gauge` return the already registered metric when
 * called again with the same name, so a use case can declare its metrics where it uses them.
 */
@Injectable()
export class MetricsService {
  /** The app's registry, for anything the helpers do not cover. */
  readonly registry: Registry;

  constructor(appName: string, options: MetricsOptions = {}) {
    this.registry = createMetricsRegistry(appName, options);
  }

  /** A counter on the app's registry (created once per name). */
  counter<T extends string = string>(config: OnRegistry<CounterConfiguration<T>>): Counter<T> {
    return this.existing(config.name, Counter) ?? new Counter<T>({ ...config, registers: [this.registry] });
  }

  /** A histogram on the app's registry (created once per name). */
  histogram<T extends string = string>(config: OnRegistry<HistogramConfiguration<T>>): Histogram<T> {
    return this.existing(config.name, Histogram) ?? new Histogram<T>({ ...config, registers: [this.registry] });
  }

  /** A gauge on the app's registry (created once per name). */
  gauge<T extends string = string>(config: OnRegistry<GaugeConfiguration<T>>): Gauge<T> {
    return this.existing(config.name, Gauge) ?? new Gauge<T>({ ...config, registers: [this.registry] });
  }

  /** The Prometheus text exposition of every metric. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** The Content-Type of `metrics()`. */
  get contentType(): string {
    return this.registry.contentType;
  }

  private existing<M extends Metric>(name: string, kind: abstract new (...args: never[]) => M): M | undefined {
    const metric = this.registry.getSingleMetric(name);
    if (metric === undefined) return undefined;
    if (!(metric instanceof kind)) throw new TypeError(`metric ${name} is already registered as another type`);
    return metric;
  }
}
