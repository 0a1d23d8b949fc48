import type { DrainStepType } from '@maintwatch/contracts';
import type { DrainJob, DrainJobRepository } from '@maintwatch/persistence';
import { DrainPlanError, drainPlan, type DrainPlan } from './drain-plan';
import type { JunosConfig, JunosConfigFactory } from './junos-config';

/** A step audited and announced (device.drain.v1.<step>). */
type DrainStep = DrainStepType;

/** Tunables of the flow. */
export interface DrainFlowOptions {
  /** Seconds between commit confirmed and the post-checks, for traffic to move (default 30). */
  settleSeconds: number;
  /** Seconds a restored BGP session gets to come back Established before the restore is not confirmed. */
  establishSeconds: number;
  /** Seconds a held restore (unhealthy circuit) waits before it is checked again. */
  restoreRetrySeconds: number;
  /** Restore attempts before the job fails and a human is asked to act. */
  maxAttempts: number;
  /** Waits (the settle time, polling); the process' timers in production. */
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

/** A step for the audit and the announcement. */
type Record = (job: DrainJob, step: DrainStep, detail: string, diff?: string) => Promise<void>;

/** A failure of a pre-check or post-check: the flow stops before (or instead of) confirming. */
class CheckFailed extends Error {
  override name = 'CheckFailed';
}

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Runs drain jobs: drain before the window, restore after it, each with the commit-confirmed
 * flow (spec §5.3): lock, load, check, commit confirmed, post-checks, confirm, unlock. Every
 * state change is a compare-and-set in the store, so a job is never applied twice; a flow cut
 * between commit confirmed and confirm is rolled back by the device itself, and the next claim
 * of the job records that (recover()).
 */
export class DrainFlow {
  constructor(
    private readonly jobs: DrainJobRepository,
    private readonly open: JunosConfigFactory,
    private readonly record: Record,
    private readonly options: DrainFlowOptions,
  ) {}

  /** Takes a claimed job one step further. */
  async run(job: DrainJob, owner: string): Promise<void> {
    switch (job.state) {
      case 'scheduled':
        return this.drain(job);
      case 'drained':
        return this.restore(job);
      case 'draining':
      case 'confirming':
      case 'restoring':
      case 'restore-confirming':
        return this.recover(job, owner);
      default:
        await this.jobs.release(job.id, owner);
    }
  }

  private async drain(job: DrainJob): Promise<void> {
    const now = this.options.now();
    if (now >= job.windowEnd) {
      if (await this.jobs.transition(job.id, ['scheduled'], 'cancelled', { detail: 'the window ended before the drain ran: nothing applied', releaseLease: true }))
        await this.record(job, 'cancelled', 'the window ended before the drain ran: nothing applied');
      return;
    }
    if (!job.authenticated) return this.refuse(job, 'not-acted-on', 'not acted on: unauthenticated (the notice that set this maintenance is not authenticated for the provider\'s domain: see the maintenance\'s authentication in maintenance-api)');
    if (job.lastPath) return this.refuse(job, 'not-acted-on', `not acted on: last path (every circuit of ${job.circuitId}'s redundancy group is in this maintenance); a human decides`);
    let plan: DrainPlan;
    try {
      plan = drainPlan(job.binding, job);
    } catch (err) {
      if (err instanceof DrainPlanError) return this.refuse(job, 'failed', `cannot drain: ${err.message}`, 'failed');
      throw err;
    }
    if (!(await this.jobs.transition(job.id, ['scheduled'], 'draining', { appliedLines: [...plan.apply], undoLines: [...plan.undo] }))) return;
    await this.record(job, 'planned', `${job.binding.drain.method} on ${job.device} for ${job.circuitId}${job.binding.drain.dryRun ? ' (dry-run)' : ''}`, plan.apply.join('\n'));

    let device: JunosConfig | undefined;
    let committed = false;
    try {
      device = await this.open(job.device);
      if (await this.isApplied(device, plan)) {
        await this.jobs.transition(job.id, ['draining'], 'drained', { detail: 'already drained on the device', releaseLease: true });
        await this.record(job, 'drained', 'the drain was already on the device (nothing applied twice)');
        return;
      }
      await this.preChecks(device, job);
      await device.lock();
      let unlocked = false;
      try {
        await device.loadSet(plan.apply);
        await device.commitCheck();
        const diff = await device.diff();
        if (job.binding.drain.dryRun) {
          await device.discard();
          await this.jobs.transition(job.id, ['draining'], 'dry-run', { detail: 'dry-run: commit check passed, nothing committed', releaseLease: true });
          await this.record(job, 'dry-run', 'dry-run: commit check passed, nothing committed; this is what a drain would change', diff);
          return;
        }
        const minutes = job.binding.drain.confirmMinutes;
        await device.commitConfirmed(minutes, plan.log);
        committed = true;
        await this.jobs.transition(job.id, ['draining'], 'confirming', { confirmDeadline: this.options.now() + minutes * 60 });
        await this.record(job, 'committed-confirmed', `committed with a ${minutes}-minute confirm timeout`, diff);
        await this.options.sleep(this.options.settleSeconds * 1000);
        await this.postChecks(device, job);
        await device.commit(`${plan.log} confirmed`);
        // The device is released before the job says "drained": whoever reads that state (an
        // operator, a restore) finds the candidate unlocked.
        await device.unlock();
        unlocked = true;
        await this.jobs.transition(job.id, ['confirming'], 'drained', { detail: 'drained and confirmed', confirmDeadline: null, releaseLease: true });
        await this.record(job, 'drained', `drained and confirmed; restore at ${new Date(job.restoreAt * 1000).toISOString()}`, diff);
      } finally {
        if (!committed) await device.discard();
        if (!unlocked) await device.unlock();
      }
    } catch (err) {
      await this.failed(job, committed, err);
    } finally {
      await device?.close().catch(() => undefined);
    }
  }

  private async restore(job: DrainJob): Promise<void> {
    const undo = job.undoLines ?? [];
    let device: JunosConfig | undefined;
    let committed = false;
    try {
      device = await this.open(job.device);
      const plan = drainPlan(job.binding, job);
      if (!(await this.isApplied(device, plan))) {
        await this.jobs.transition(job.id, ['drained'], 'restored', { detail: 'the drain was no longer on the device: nothing to restore', releaseLease: true });
        await this.record(job, 'restored', 'the drain was no longer on the device (removed by hand?): nothing to restore');
        return;
      }
      // The circuit must be healthy before its traffic comes back (an interface the drain itself
      // disabled is down by design and cannot tell).
      if (job.binding.interface && job.binding.drain.method !== 'disable-interface') {
        const status = await device.interfaceStatus(job.binding.interface);
        if (status !== 'up') {
          // Never auto-restore an unhealthy circuit (spec §5.3): hold, then escalate.
          if (job.attempts >= this.options.maxAttempts) {
            await this.jobs.transition(job.id, ['drained'], 'failed', { detail: `restore not done: ${job.binding.interface} is ${status ?? 'missing'} after ${job.attempts} checks; a human decides`, releaseLease: true });
            await this.record(job, 'failed', `restore not done: ${job.binding.interface} is ${status ?? 'missing'} after ${job.attempts} checks; the circuit stays drained and a human decides`);
          } else {
            await this.jobs.transition(job.id, ['drained'], 'drained', { restoreAt: this.options.now() + this.options.restoreRetrySeconds, releaseLease: true });
            await this.record(job, 'restore-held', `restore held: ${job.binding.interface} is ${status ?? 'missing'}; checking again in ${this.options.restoreRetrySeconds} s`);
          }
          return;
        }
      }
      if (!(await this.jobs.transition(job.id, ['drained'], 'restoring'))) return;
      await device.lock();
      let unlocked = false;
      try {
        await device.loadSet(undo);
        await device.commitCheck();
        const diff = await device.diff();
        const minutes = job.binding.drain.confirmMinutes;
        await device.commitConfirmed(minutes, `${plan.log} restore`);
        committed = true;
        await this.jobs.transition(job.id, ['restoring'], 'restore-confirming', { confirmDeadline: this.options.now() + minutes * 60 });
        await this.record(job, 'restore-committed-confirmed', `restore committed with a ${minutes}-minute confirm timeout`, diff);
        await this.awaitEstablished(device, job);
        await device.commit(`${plan.log} restore confirmed`);
        await device.unlock();
        unlocked = true;
        await this.jobs.transition(job.id, ['restore-confirming'], 'restored', { detail: 'restored and confirmed', confirmDeadline: null, releaseLease: true });
        await this.record(job, 'restored', 'restored and confirmed', diff);
      } finally {
        if (!committed) await device.discard();
        if (!unlocked) await device.unlock();
      }
    } catch (err) {
      if (committed) {
        // Not confirmed: the device puts the drain back at the deadline; recover() records it.
        await this.record(job, 'failed', `restore not confirmed (${errText(err)}): the device rolls the restore back at the confirm deadline`);
      } else {
        await this.jobs.transition(job.id, ['restoring', 'drained'], 'drained', { restoreAt: this.options.now() + this.options.restoreRetrySeconds, detail: `restore failed: ${errText(err)}`, releaseLease: true });
        await this.record(job, 'failed', `restore failed before commit (${errText(err)}): still drained, retrying in ${this.options.restoreRetrySeconds} s`);
      }
    } finally {
      await device?.close().catch(() => undefined);
    }
  }

  /**
   * A job left mid-flow (its gateway died, or a post-check failed after commit confirmed). Until
   * the confirm deadline the device may still roll back, so the job waits; after it, the
   * committed configuration tells what happened.
   */
  private async recover(job: DrainJob, owner: string): Promise<void> {
    const confirmSeconds = job.binding.drain.confirmMinutes * 60;
    const deadline = job.confirmDeadline ?? job.updatedAt + confirmSeconds;
    const now = this.options.now();
    if (now < deadline + 5) {
      await this.jobs.renew(job.id, owner, deadline + 5);
      return;
    }
    let device: JunosConfig | undefined;
    try {
      device = await this.open(job.device);
      const applied = await this.isApplied(device, drainPlan(job.binding, job));
      const draining = job.state === 'draining' || job.state === 'confirming';
      if (draining && applied) {
        await this.jobs.transition(job.id, [job.state], 'drained', { detail: 'drained (confirmed before the gateway was interrupted)', confirmDeadline: null, releaseLease: true });
        await this.record(job, 'drained', 'the drain is on the device: it was confirmed before the gateway was interrupted');
      } else if (draining) {
        await this.jobs.transition(job.id, [job.state], 'rolled-back', { detail: 'interrupted before confirm: the device rolled the drain back', confirmDeadline: null, releaseLease: true });
        await this.record(job, 'rolled-back', 'the drain was interrupted before it was confirmed: the device rolled it back at the confirm deadline; the circuit is not drained');
      } else if (!applied) {
        await this.jobs.transition(job.id, [job.state], 'restored', { detail: 'restored (confirmed before the gateway was interrupted)', confirmDeadline: null, releaseLease: true });
        await this.record(job, 'restored', 'the restore is on the device: it was confirmed before the gateway was interrupted');
      } else {
        await this.jobs.transition(job.id, [job.state], 'drained', { detail: 'restore rolled back by the device', confirmDeadline: null, restoreAt: now + this.options.restoreRetrySeconds, releaseLease: true });
        await this.record(job, 'rolled-back', `the restore was not confirmed: the device rolled it back; still drained, retrying in ${this.options.restoreRetrySeconds} s`);
      }
    } finally {
      await device?.close().catch(() => undefined);
    }
  }

  /** Whether the drain's statements are in the committed configuration (what makes a retry safe). */
  private async isApplied(device: JunosConfig, plan: DrainPlan): Promise<boolean> {
    const config = await device.configurationSet();
    const lines = new Set(config.split('\n').map((l) => l.trim()));
    // deactivate-neighbor shows as "deactivate <path>" in display set output; the group methods by their set line.
    return lines.has(plan.apply[0]);
  }

  private async preChecks(device: JunosConfig, job: DrainJob): Promise<void> {
    const b = job.binding;
    if (b.drain.method === 'disable-interface') {
      const status = await device.interfaceStatus(b.interface ?? '');
      if (status === undefined) throw new CheckFailed(`interface ${b.interface} does not exist on ${job.device}`);
      return;
    }
    const peers = await device.bgpPeers();
    const peer = peers.find((p) => p.address === b.bgpNeighbor);
    if (!peer) throw new CheckFailed(`BGP neighbor ${b.bgpNeighbor} is not configured on ${job.device}`);
    if (peer.state !== 'Established') throw new CheckFailed(`BGP neighbor ${b.bgpNeighbor} is ${peer.state}, not Established`);
    const others = peers.filter((p) => p.address !== b.bgpNeighbor && p.state === 'Established');
    if (others.length === 0) throw new CheckFailed(`no other BGP session is Established on ${job.device}: ${b.bgpNeighbor} is the last path`);
  }

  private async postChecks(device: JunosConfig, job: DrainJob): Promise<void> {
    // The session answering is the management-reachability check; another path must still be up.
    if (job.binding.drain.method === 'disable-interface') return;
    const peers = await device.bgpPeers();
    const others = peers.filter((p) => p.address !== job.binding.bgpNeighbor && p.state === 'Established');
    if (others.length === 0) throw new CheckFailed(`after the drain no other BGP session is Established on ${job.device}`);
  }

  private async awaitEstablished(device: JunosConfig, job: DrainJob): Promise<void> {
    if (job.binding.drain.method === 'disable-interface' || !job.binding.bgpNeighbor) return;
    const until = this.options.now() + this.options.establishSeconds;
    for (;;) {
      const [peer] = await device.bgpPeers(job.binding.bgpNeighbor);
      if (peer?.state === 'Established') return;
      if (this.options.now() >= until) throw new CheckFailed(`BGP neighbor ${job.binding.bgpNeighbor} is ${peer?.state ?? 'missing'} ${this.options.establishSeconds} s after the restore`);
      await this.options.sleep(1000);
    }
  }

  private async refuse(job: DrainJob, step: DrainStep, detail: string, state: 'refused' | 'failed' = 'refused'): Promise<void> {
    if (await this.jobs.transition(job.id, ['scheduled'], state, { detail, releaseLease: true })) await this.record(job, step, detail);
  }

  private async failed(job: DrainJob, committed: boolean, err: unknown): Promise<void> {
    const why = errText(err);
    if (err instanceof CheckFailed && !committed) {
      await this.jobs.transition(job.id, ['draining'], 'refused', { detail: `pre-check failed: ${why}`, releaseLease: true });
      await this.record(job, 'pre-check-failed', `pre-check failed, nothing applied: ${why}`);
    } else if (committed) {
      // Not confirmed: the device rolls back at the deadline; the job stays "confirming" and recover() records the outcome.
      await this.record(job, 'failed', `drain not confirmed (${why}): the device rolls it back at the confirm deadline`);
    } else {
      await this.jobs.transition(job.id, ['draining'], 'failed', { detail: `drain failed, nothing applied: ${why}`, releaseLease: true });
      await this.record(job, 'failed', `drain failed, nothing applied: ${why}`);
    }
  }
}
