import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { SUBJECTS } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';
import { FileHostKeyStore, loadInventory } from '@maintwatch/netconf';
import { Store, type DeviceActionRecord } from '@maintwatch/persistence';
import { deviceSecretEnv } from '../config';
import { DeviceSessions, UnknownDeviceError } from '../devices/device-sessions';
import { ActionMetrics } from './action.metrics';
import { ActionRelay } from './action-relay.service';
import { auditParams } from './action-request.dto';
import { DeviceActions, type ActionOutcome, type ActionProgress, type FtpTarget, type OperatorAction } from './device-actions';

type ProgressStage = Parameters<ActionProgress>[0];

/** The actions feature's settings, from the gateway config. */
export interface ActionsOptions {
  devicesFile?: string;
  hostKeysFile: string;
  ftp?: FtpTarget;
  outputMaxChars: number;
}
/** Injection token of ActionsOptions. */
export const ACTIONS_OPTIONS = Symbol('ACTIONS_OPTIONS');

/** One request, from REST or NATS. */
export interface ActionRequest {
  /** The action id: the NATS request's actionId, or a new UUID for REST. */
  id?: string;
  /** Unique per request (`nats:<actionId>`, `rest:<Idempotency-Key>`): a repeat returns the first row. */
  requestKey?: string;
  device: string;
  action: OperatorAction;
  requestedBy: string;
  source: 'rest' | 'nats';
}

/** An action id taken by a request with another key (a NATS actionId reused). */
export class ActionIdConflictError extends Error {
  override readonly name = 'ActionIdConflictError';
}

// Upload progress comes per chunk: one event per stage change, else at most this often.
const PROGRESS_EVERY_MS = 1000;

/**
 * Records, runs and audits operator actions. The audit row comes first and is keyed by the
 * request, and only the delivery that moves it pending -> running acts: a redelivered NATS
 * request or a retried REST call never reboots twice. The result goes out through the row
 * (ActionRelay), so a crash between the device's answer and the publish loses nothing.
 */
@Injectable()
export class ActionsService implements OnModuleDestroy {
  private readonly logger = new Logger(ActionsService.name);
  private sessions?: Promise<DeviceSessions>;
  private readonly background = new Set<Promise<void>>();

  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(Bus) private readonly bus: Bus,
    @Inject(ActionRelay) private readonly relay: ActionRelay,
    @Inject(ActionMetrics) private readonly metrics: ActionMetrics,
    @Inject(ACTIONS_OPTIONS) private readonly options: ActionsOptions,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.background]);
    const s = await this.sessions?.catch(() => undefined);
    await s?.closeAll();
  }

  /** Whether the inventory has the device (false without an inventory). A bad inventory file throws. */
  async knows(device: string): Promise<boolean> {
    try {
      (await this.deviceSessions()).device(device);
      return true;
    } catch (err) {
      if (err instanceof UnknownDeviceError) return false;
      throw err;
    }
  }

  /**
   * Records the request and runs it: awaited when `wait`, else in the background (the row says
   * how it goes). A repeated request returns its first row and does nothing (`created` false).
   */
  async submit(req: ActionRequest, wait: boolean): Promise<{ record: DeviceActionRecord; created: boolean }> {
    const id = req.id ?? randomUUID();
    const made = await this.store.repos.deviceActions.request({
      id,
      requestKey: req.requestKey ?? `${req.source}:${id}`,
      device: req.device,
      kind: req.action.kind,
      params: auditParams(req.action),
      requestedBy: req.requestedBy,
      source: req.source,
    });
    if (!made) throw new ActionIdConflictError(`action id ${id} is already used by another request`);
    const { record, created } = made;
    // Only a row no delivery has started yet is run (a crash right after the insert leaves it pending).
    if (record.outcome !== 'pending') return { record, created };
    const run = this.execute(record.id, req.device, req.action).catch((err: unknown) => this.logger.error(`action ${record.id}: ${(err as Error).message}`));
    if (!wait) {
      this.background.add(run);
      void run.finally(() => this.background.delete(run));
      return { record, created };
    }
    await run;
    return { record: (await this.store.repos.deviceActions.get(record.id)) ?? record, created };
  }

  /** Records a request that is refused before reaching a device (unsupported NATS action). */
  async refuse(req: Omit<ActionRequest, 'action'> & { kind: string; params: Record<string, unknown>; detail: string }): Promise<DeviceActionRecord> {
    const id = req.id ?? randomUUID();
    const repo = this.store.repos.deviceActions;
    const made = await repo.request({ id, requestKey: req.requestKey ?? `${req.source}:${id}`, device: req.device, kind: req.kind, params: req.params, requestedBy: req.requestedBy, source: req.source });
    if (!made) throw new ActionIdConflictError(`action id ${id} is already used by another request`);
    const { record } = made;
    if (record.outcome !== 'pending') return record;
    const done = await repo.finish(record.id, { outcome: 'refused', detail: req.detail, artifacts: [] });
    this.metrics.actions.inc({ kind: req.kind, outcome: 'refused' });
    this.relay.wake();
    return done ?? record;
  }

  private async execute(id: string, device: string, action: OperatorAction): Promise<void> {
    const repo = this.store.repos.deviceActions;
    if (!(await repo.start(id))) return;
    const started = Date.now();
    let chain: Promise<unknown> = Promise.resolve();
    let last = { stage: '', at: 0 };
    let held: { stage: ProgressStage; bytes?: number } | undefined;
    const emit = (stage: ProgressStage, bytes: number | undefined, now: number): void => {
      last = { stage, at: now };
      held = undefined;
      const at = Math.floor(now / 1000);
      const extra = bytes !== undefined ? { bytes } : {};
      // Best effort and in order: a lost progress event is not worth failing the action for.
      chain = chain
        .then(() => repo.progress(id, { stage, ...extra, at }))
        .then(() => this.bus.publish(SUBJECTS.deviceActionProgress, { actionId: id, action: action.kind, device, stage, ...extra, at }, { msgId: `${id}:progress:${stage}:${bytes ?? 0}` }))
        .catch((err: unknown) => this.logger.warn(`action ${id} progress ${stage}: ${(err as Error).message}`));
    };
    const progress = (stage: ProgressStage, detail: { bytes?: number }): void => {
      const now = Date.now();
      // The last count of a stage is held back, not dropped: the final upload size is always told.
      if (stage === last.stage && now - last.at < PROGRESS_EVERY_MS) held = { stage, ...detail };
      else emit(stage, detail.bytes, now);
    };
    let outcome: ActionOutcome;
    try {
      outcome = await new DeviceActions(await this.deviceSessions(), this.options.ftp).run(device, action, progress);
    } catch (err) {
      // run() turns device errors into outcomes; what is left is the inventory itself.
      outcome = err instanceof UnknownDeviceError ? { outcome: 'refused', detail: err.message, artifacts: [] } : { outcome: 'failed', detail: `${(err as Error).name}: ${(err as Error).message}`, artifacts: [] };
    }
    if (held) emit(held.stage, held.bytes, Date.now());
    await chain;
    await repo.finish(id, { outcome: outcome.outcome, detail: outcome.detail, output: truncate(outcome.output, this.options.outputMaxChars), artifacts: outcome.artifacts });
    this.metrics.actions.inc({ kind: action.kind, outcome: outcome.outcome });
    this.metrics.seconds.observe({ kind: action.kind, outcome: outcome.outcome }, (Date.now() - started) / 1000);
    this.relay.wake();
  }

  private deviceSessions(): Promise<DeviceSessions> {
    const file = this.options.devicesFile;
    if (!file) return Promise.reject(new UnknownDeviceError('no device inventory (JUNOS_DEVICES_FILE is not set): no device can be acted on'));
    // Read once, on first use; a bad file fails that request with the file's problems and the next one reads again.
    this.sessions ??= loadInventory(file).then(
      (inventory) => new DeviceSessions(inventory, deviceSecretEnv(), new FileHostKeyStore(this.options.hostKeysFile)),
      (err: unknown) => {
        this.sessions = undefined;
        throw err;
      },
    );
    return this.sessions;
  }
}

function truncate(text: string | undefined, max: number): string | undefined {
  if (text === undefined || text.length <= max) return text;
  return `${text.slice(0, max)}\n[... ${text.length - max} more characters not kept]`;
}
