import type { Counter, Gauge } from 'prom-client';
import type { HealthChecks, MetricsService } from '@maintwatch/observability';
import type { SourceErrorKind } from '../errors';

/** Why a mail was not published. */
export type SkipReason = 'already-seen' | 'sender-filter' | 'outside-lookback';

/** Per-source metrics, labelled `source`. */
export class IngestMetrics {
  readonly fetched: Counter<'source'>;
  readonly published: Counter<'source'>;
  readonly skipped: Counter<'source' | 'reason'>;
  readonly errors: Counter<'source' | 'kind'>;
  readonly lastSync: Gauge<'source'>;
  readonly idle: Gauge<'source'>;
  readonly up: Gauge<'source'>;

  constructor(metrics: MetricsService) {
    this.fetched = metrics.counter({ name: 'maintwatch_ingest_fetched_total', help: 'Mails read from a source', labelNames: ['source'] });
    this.published = metrics.counter({ name: 'maintwatch_ingest_published_total', help: 'Notices published (acknowledged by JetStream)', labelNames: ['source'] });
    this.skipped = metrics.counter({
      name: 'maintwatch_ingest_skipped_total',
      help: 'Mails read but not published, by reason (already-seen, sender-filter, outside-lookback)',
      labelNames: ['source', 'reason'],
    });
    this.errors = metrics.counter({
      name: 'maintwatch_ingest_errors_total',
      help: 'Source failures, by kind (config, auth, tls, connect, mailbox, server, quota, publish)',
      labelNames: ['source', 'kind'],
    });
    this.lastSync = metrics.gauge({ name: 'maintwatch_ingest_last_sync_timestamp_seconds', help: 'When a source last synced successfully (epoch seconds)', labelNames: ['source'] });
    this.idle = metrics.gauge({ name: 'maintwatch_ingest_idle_connected', help: '1 while an IMAP source is connected with IDLE (push), else 0', labelNames: ['source'] });
    this.up = metrics.gauge({ name: 'maintwatch_ingest_source_up', help: '1 while a source is connected and synced, else 0', labelNames: ['source'] });
  }
}

/** One source's state: what /readyz shows and the metrics count. */
export class SourceHealth {
  private state: { up: true } | { up: false; reason: string } = { up: false, reason: 'starting' };

  constructor(
    readonly name: string,
    private readonly metrics: IngestMetrics,
  ) {
    const labels = { source: name };
    // Zero series from the start, so a dashboard sees the source before its first event.
    metrics.fetched.inc(labels, 0);
    metrics.published.inc(labels, 0);
    metrics.up.set(labels, 0);
    metrics.idle.set(labels, 0);
  }

  /** True while connected and synced. */
  get isUp(): boolean {
    return this.state.up;
  }

  /** Throws the reason while the source is down (a readiness check). */
  check(): true {
    if (!this.state.up) throw new Error(this.state.reason);
    return true;
  }

  /** Connected and synced. */
  markUp(): void {
    this.state = { up: true };
    this.metrics.up.set({ source: this.name }, 1);
  }

  /** Down for this reason; counted as an error of this kind. */
  markDown(kind: SourceErrorKind, reason: string): void {
    this.state = { up: false, reason };
    this.metrics.up.set({ source: this.name }, 0);
    this.metrics.idle.set({ source: this.name }, 0);
    this.metrics.errors.inc({ source: this.name, kind });
  }

  /** Stopped on purpose (shutdown): down, but no error. */
  markStopped(): void {
    this.state = { up: false, reason: 'stopped' };
    this.metrics.up.set({ source: this.name }, 0);
    this.metrics.idle.set({ source: this.name }, 0);
  }

  /** Whether the connection pushes new mail (IMAP IDLE). */
  setIdle(on: boolean): void {
    this.metrics.idle.set({ source: this.name }, on ? 1 : 0);
  }

  /** A sync finished without error. */
  synced(): void {
    this.metrics.lastSync.set({ source: this.name }, Date.now() / 1000);
  }

  fetched(n = 1): void {
    this.metrics.fetched.inc({ source: this.name }, n);
  }

  published(): void {
    this.metrics.published.inc({ source: this.name });
  }

  skipped(reason: SkipReason): void {
    this.metrics.skipped.inc({ source: this.name, reason });
  }
}

/** Every source's health, and the readiness checks built from it (`source.<name>`). */
export class SourceHealthBoard {
  private readonly byName = new Map<string, SourceHealth>();

  constructor(names: readonly string[], metrics: MetricsService) {
    const m = new IngestMetrics(metrics);
    for (const name of names) this.byName.set(name, new SourceHealth(name, m));
  }

  /** The health of one source. */
  get(name: string): SourceHealth {
    const h = this.byName.get(name);
    if (!h) throw new Error(`no source ${name}`);
    return h;
  }

  /** Readiness checks, one per source. */
  checks(): HealthChecks {
    return Object.fromEntries([...this.byName].map(([name, h]) => [`source.${name}`, () => h.check()]));
  }
}
