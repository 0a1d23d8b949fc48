import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Store, type DrainJob } from '@maintwatch/persistence';
import { MetricsService } from '@maintwatch/observability';
import type { Counter } from 'prom-client';
import type { DrainStepType } from '@maintwatch/contracts';
import { DrainFlow } from './drain-flow';
import type { JunosConfigFactory } from './junos-config';
import { DrainRelay } from './drain-relay.service';
import { WakeableLoop } from '../relay/publish-relay';

/** Injection token of the drain options. */
export const DRAIN_OPTIONS = Symbol('DRAIN_OPTIONS');
/** Injection token of the device session factory. */
export const DRAIN_DEVICES = Symbol('DRAIN_DEVICES');

/** How the runner runs. */
export interface DrainOptions {
  /** How often due jobs are looked for (an event wakes the runner at once). */
  tickMs: number;
  settleSeconds: number;
  establishSeconds: number;
  restoreRetrySeconds: number;
  maxAttempts: number;
  /** Seconds a claimed job stays with its replica without a heartbeat (renewed while it runs). */
  leaseSeconds: number;
}

/**
 * Claims due drain jobs and runs them, one at a time per replica. A job is claimed with a lease
 * (SKIP LOCKED), so replicas share the work and a job whose replica died is taken over when the
 * lease runs out (recover() then finds out what the device did).
 */
@Injectable()
export class DrainRunner extends WakeableLoop {
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly steps: Counter<'step'>;
  private flow?: DrainFlow;

  constructor(
    @Inject(Store) store: Store,
    @Inject(DRAIN_OPTIONS) private readonly options: DrainOptions,
    @Inject(DRAIN_DEVICES) private readonly devices: JunosConfigFactory,
    @Inject(DrainRelay) private readonly relay: DrainRelay,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    super(store, 'drain runner', options.tickMs);
    this.steps = metrics.counter({ name: 'maintwatch_gateway_drain_steps_total', help: 'Drain and restore steps, by step', labelNames: ['step'] });
  }

  /** The clock (epoch seconds). */
  now(): number {
    return Math.floor(Date.now() / 1000);
  }

  /** Claims one due job and runs it; 0 when none is due. */
  protected async once(): Promise<number> {
    const o = this.options;
    // Built on first use: the store's repositories exist once it has started.
    this.flow ??= new DrainFlow(this.store.repos.drains, this.devices, (job, step, detail, diff) => this.record(job, step, detail, diff), {
      settleSeconds: o.settleSeconds,
      establishSeconds: o.establishSeconds,
      restoreRetrySeconds: o.restoreRetrySeconds,
      maxAttempts: o.maxAttempts,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      now: () => this.now(),
    });
    const lease = o.leaseSeconds;
    const job = await this.store.repos.drains.claimDue(this.owner, this.now(), lease);
    if (!job) return 0;
    // The heartbeat keeps the job while this replica works on it; a replica that dies
    // stops renewing, and another takes the job over one lease later.
    const heartbeat = setInterval(() => {
      void this.store.repos.drains.renew(job.id, this.owner, this.now() + lease).catch(() => undefined);
    }, (lease * 1000) / 3);
    try {
      await this.flow.run(job, this.owner);
    } finally {
      clearInterval(heartbeat);
    }
    return 1;
  }

  private async record(job: DrainJob, step: DrainStepType, detail: string, diff?: string): Promise<void> {
    await this.store.repos.drains.step(job.id, step, detail, diff);
    this.steps.inc({ step });
    this.logger.log(`${job.providerType}/${job.maintenanceId} ${job.circuitId} on ${job.device}: ${step}: ${detail}`);
    this.relay.wake();
  }
}
