import { Inject, Injectable } from '@nestjs/common';
import { MetricsService } from '@maintwatch/observability';
import type { Counter, Histogram } from 'prom-client';

/** The parser's own metrics: notices per provider and outcome, parse time per provider. */
@Injectable()
export class ParserMetrics {
  private readonly notices: Counter<'provider' | 'outcome'>;
  private readonly seconds: Histogram<'provider'>;
  private readonly verdicts: Counter<'provider' | 'verdict'>;
  private readonly abandonedParses: Counter<'reason'>;

  constructor(@Inject(MetricsService) metrics: MetricsService) {
    this.notices = metrics.counter({
      name: 'maintwatch_parser_notices_total',
      help: 'Notices parsed, unparsed or ignored, per provider',
      labelNames: ['provider', 'outcome'],
    });
    this.seconds = metrics.histogram({
      name: 'maintwatch_parser_parse_seconds',
      help: 'Time to parse one notice (MIME + provider), per provider',
      labelNames: ['provider'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    });
    this.verdicts = metrics.counter({
      name: 'maintwatch_parser_authenticity_total',
      help: 'Parsed notices by authenticity verdict (pass, fail, none, temperror), per provider',
      labelNames: ['provider', 'verdict'],
    });
    this.abandonedParses = metrics.counter({
      name: 'maintwatch_parser_abandoned_total',
      help: 'Parses abandoned (worker terminated, notice recorded unparsed), by reason: timeout, memory, crash',
      labelNames: ['reason'],
    });
  }

  /** Records one parse abandoned by the worker pool. */
  abandoned(reason: string): void {
    this.abandonedParses.inc({ reason });
  }

  /** Records one parsed notice's authenticity verdict. */
  authenticity(provider: string, verdict: string): void {
    this.verdicts.inc({ provider, verdict });
  }

  /** Records one notice's outcome. */
  observe(provider: string, outcome: 'parsed' | 'unparsed' | 'ignored', seconds: number): void {
    this.notices.inc({ provider, outcome });
    this.seconds.observe({ provider }, seconds);
  }
}
