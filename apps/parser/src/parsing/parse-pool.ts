import { availableParallelism } from 'node:os';
import type { OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ParseOutcome, ProviderOverride } from '@maintwatch/providers';
import type { FromWorker, ToWorker, WorkerData } from './parse-pool.messages';

/** How the pool runs its workers. */
export interface ParsePoolOptions {
  /** Worker threads (each parses one mail at a time). */
  workers: number;
  /** A parse running longer than this is abandoned (its worker terminated) and the mail recorded unparsed. */
  timeoutMs: number;
  /** Heap limit of one worker; a mail that needs more is recorded unparsed. */
  memoryMb: number;
  /** Largest attachment a worker reads (larger ones are skipped with a warning). */
  maxPartBytes?: number;
}

/** Why a parse was abandoned. */
export type AbandonReason = 'timeout' | 'memory' | 'crash';

/** What the pool reports about abandoned parses (for metrics and logs). */
export type AbandonListener = (reason: AbandonReason, providerHint: string | undefined) => void;

/** The pool could not run a parse at all (no worker would start, or the pool is closing): retry later. */
export class ParsePoolUnavailableError extends Error {
  override readonly name = 'ParsePoolUnavailableError';
}

/** Default worker count: one per core, at most the notices parsed at once. */
export function defaultWorkers(concurrency: number): number {
  return Math.max(1, Math.min(concurrency, availableParallelism()));
}

interface Task {
  id: number;
  raw: Uint8Array;
  providerHint?: string;
  resolve: (outcome: ParseOutcome) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task?: Task;
  timer?: NodeJS.Timeout;
  /** Set when the pool terminates this worker on purpose (timeout, close). */
  retired: boolean;
}

// The worker runs as compiled JavaScript beside this file; under the tests (TypeScript sources)
// tsx's require hook loads it, with the workspace's path aliases.
const FROM_SOURCES = __filename.endsWith('.ts');
const WORKER_FILE = join(__dirname, `parse-worker${FROM_SOURCES ? '.ts' : '.js'}`);
const WORKER_SCRIPT = FROM_SOURCES ? `require('tsx/cjs'); require(${JSON.stringify(WORKER_FILE)});` : WORKER_FILE;
/** Delay before replacing a worker that failed to start, so a broken install does not spin. */
const RESPAWN_DELAY_MS = 1000;

/**
 * A pool of worker threads that parse mail, so that one hostile mail (a parser stuck in
 * backtracking, a decompression bomb in an XLSX part) costs at most `timeoutMs` of one worker and
 * never stalls the replica: the worker is terminated, replaced, and the mail comes back as an
 * unparsed outcome saying why. Written on node:worker_threads directly because what matters here
 * (terminate-on-deadline with the task's outcome, per-worker heap limits, ordered override
 * updates) is exactly what general pools (piscina, workerpool) leave to the caller.
 */
export class ParsePool implements OnApplicationShutdown {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private overrides: readonly ProviderOverride[] = [];
  private nextId = 1;
  private closed = false;
  private readonly respawns = new Set<NodeJS.Timeout>();

  constructor(
    private readonly options: ParsePoolOptions,
    private readonly onAbandon: AbandonListener = () => undefined,
  ) {
    for (let i = 0; i < options.workers; i++) this.slots.push(this.spawn());
  }

  /** Parses one mail in a worker. Resolves with an unparsed outcome when the parse is abandoned. */
  parse(raw: Uint8Array, providerHint?: string): Promise<ParseOutcome> {
    if (this.closed) return Promise.reject(new ParsePoolUnavailableError('the parse pool is closed'));
    return new Promise<ParseOutcome>((resolve, reject) => {
      // A copy of its own is transferred to the worker (the caller keeps the original).
      const copy = new Uint8Array(raw.byteLength);
      copy.set(raw);
      this.queue.push({ id: this.nextId++, raw: copy, providerHint, resolve, reject });
      this.dispatch();
    });
  }

  /** The operators' provider overrides; applied by every worker before its next mail. */
  setOverrides(overrides: readonly ProviderOverride[]): void {
    this.overrides = overrides;
    for (const slot of this.slots) this.post(slot, { type: 'overrides', overrides });
  }

  /** Mails waiting for a worker. */
  get waiting(): number {
    return this.queue.length;
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  /** Terminates every worker; mails still waiting or running are rejected (to be redelivered). */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.respawns) clearTimeout(t);
    for (const task of this.queue.splice(0)) task.reject(new ParsePoolUnavailableError('the parser is shutting down'));
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.retired = true;
        if (slot.timer) clearTimeout(slot.timer);
        slot.task?.reject(new ParsePoolUnavailableError('the parser is shutting down'));
        slot.task = undefined;
        await slot.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    // No execArgv: the worker inherits the process's options. A list given here must not hold V8
    // or process-wide flags (--max-semi-space-size, --inspect): Worker refuses to start with them,
    // and the replica with it.
    const worker = new Worker(WORKER_SCRIPT, { eval: FROM_SOURCES, resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb },
      workerData: { maxPartBytes: this.options.maxPartBytes } satisfies WorkerData,
    });
    const slot: Slot = { worker, ready: false, retired: false };
    worker.on('message', (message: FromWorker) => this.onMessage(slot, message));
    worker.on('error', (err: Error & { code?: string }) => this.onFailure(slot, err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crash', err));
    worker.on('exit', (code) => this.onFailure(slot, 'crash', new Error(`parse worker exited with code ${code}`)));
    this.post(slot, { type: 'overrides', overrides: this.overrides });
    return slot;
  }

  private post(slot: Slot, message: ToWorker, transfer?: ArrayBuffer[]): void {
    if (!slot.retired) slot.worker.postMessage(message, transfer);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      // An idle pool does not keep a process alive that is otherwise done (CLI, tests); work does.
      if (this.queue.length > 0 || slot.task) slot.worker.ref();
      else slot.worker.unref();
      if (this.queue.length === 0) continue;
      if (!slot.ready || slot.task || slot.retired) continue;
      const task = this.queue.shift() as Task;
      slot.task = task;
      slot.timer = setTimeout(() => this.abandon(slot, 'timeout'), this.options.timeoutMs);
      this.post(slot, { type: 'parse', id: task.id, raw: task.raw, providerHint: task.providerHint }, [task.raw.buffer as ArrayBuffer]);
    }
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    if (message.type === 'ready') {
      slot.ready = true;
      this.dispatch();
      return;
    }
    const task = slot.task;
    if (!task || task.id !== message.id) return;
    clearTimeout(slot.timer);
    slot.task = undefined;
    if (message.type === 'done') task.resolve(message.outcome);
    // parseMail never throws; if it did, the mail is what failed, not the pool.
    else task.resolve(unparsed(task, `parser failed: ${message.message}`));
    this.dispatch();
  }

  /** Terminates a worker whose mail took too long, answers the mail, and replaces the worker. */
  private abandon(slot: Slot, reason: AbandonReason): void {
    const task = slot.task;
    if (!task || slot.retired) return;
    slot.retired = true;
    slot.task = undefined;
    task.resolve(unparsed(task, this.reasonText(reason)));
    this.onAbandon(reason, task.providerHint);
    void slot.worker.terminate();
    this.replace(slot, 0);
  }

  private onFailure(slot: Slot, reason: AbandonReason, err: Error): void {
    if (slot.retired) return;
    slot.retired = true;
    if (slot.timer) clearTimeout(slot.timer);
    const task = slot.task;
    slot.task = undefined;
    if (task) {
      task.resolve(unparsed(task, reason === 'memory' ? this.reasonText('memory') : `${this.reasonText('crash')}: ${err.message}`));
      this.onAbandon(reason, task.providerHint);
    }
    void slot.worker.terminate();
    // A worker that died before it was ready will likely die again: wait before the next one,
    // and let the waiting mails be retried by redelivery rather than queue forever.
    if (!slot.ready) {
      for (const t of this.queue.splice(0)) t.reject(new ParsePoolUnavailableError(`no parse worker would start: ${err.message}`));
      this.replace(slot, RESPAWN_DELAY_MS);
    } else {
      this.replace(slot, 0);
    }
  }

  private replace(slot: Slot, delayMs: number): void {
    if (this.closed) return;
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    const swap = () => {
      if (this.closed) return;
      this.slots[index] = this.spawn();
    };
    if (delayMs === 0) swap();
    else {
      const t = setTimeout(() => {
        this.respawns.delete(t);
        swap();
      }, delayMs);
      this.respawns.add(t);
    }
  }

  private reasonText(reason: AbandonReason): string {
    switch (reason) {
      case 'timeout':
        return `parse abandoned after ${this.options.timeoutMs} ms (PARSER_TIMEOUT_MS): the mail takes too long to parse`;
      case 'memory':
        return `parse abandoned: the mail needs more than ${this.options.memoryMb} MB of heap (PARSER_WORKER_MEMORY_MB)`;
      case 'crash':
        return 'parse abandoned: the parse worker crashed';
    }
  }
}

function unparsed(task: Task, reason: string): ParseOutcome {
  return { kind: 'unparsed', providerType: task.providerHint, reasons: [reason], attempts: [] };
}
