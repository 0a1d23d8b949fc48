import { Controller, Get, Header, Res } from '@nestjs/common';
import { prometheusContentType } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';
import { Public } from './public-route';
import { ReadinessService, type ReadinessReport } from './readiness.service';

/** What the handler needs of the reply; Fastify's and Express's both have it. */
interface StatusReply {
  status(code: number): unknown;
}

/** Paths served by ObservabilityModule; exclude them from a global prefix. */
export const OBSERVABILITY_ROUTES = ['healthz', 'readyz', 'metrics'] as const;

/** Liveness, readiness and Prometheus metrics: open to probes and scrapers, without a token. */
@Public()
@Controller()
export class ObservabilityController {
  constructor(
    private readonly readiness: ReadinessService,
    private readonly metricsService: MetricsService,
  ) {}

  /** 200 while the process can answer at all. */
  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when every check passes, else 503 with each failing check's reason. */
  @Get('readyz')
  async readyz(@Res({ passthrough: true }) reply: StatusReply): Promise<ReadinessReport> {
    const report = await this.readiness.check();
    reply.status(report.status === 'ready' ? 200 : 503);
    return report;
  }

  /** Prometheus text exposition. */
  @Get('metrics')
  @Header('Content-Type', prometheusContentType)
  metrics(): Promise<string> {
    return this.metricsService.metrics();
  }
}
