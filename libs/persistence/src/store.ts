import type { DataSource, QueryRunner } from 'typeorm';
import { connectionOptions, createDataSource, type StoreOptions } from './data-source';
import { ChannelListener } from './listener';
import { StoreConflictError, StoreContentionError, StoreUnavailableError } from './errors';
import { LOCKS } from './repositories/clock.repository';
import { Repositories } from './repositories';
import { RETRYABLE_STATES, sqlState, translateError, UNIQUE_VIOLATION } from './pg-errors';

/** Options of one transaction. */
export interface TransactionOptions {
  /** Runs of the work after a deadlock or serialization failure (and, if asked, a unique violation). Default 5. */
  attempts?: number;
  /**
   * Also run the work again after a unique violation: for work that checks before it inserts
   * (two transactions creating the same row at once). Exhausted: StoreConflictError.
   */
  retryOnUniqueViolation?: boolean;
  /** Also run the work again after an error of the caller's own that says a concurrent writer got in between. */
  retryIf?: (err: unknown) => boolean;
  /**
   * The work only reads and writes rows by key (the rows of a batch of messages): plan every
   * statement as index lookups joined by nested loops. The planner's statistics lag behind a
   * table that grows fast (a backfill, a burst of notices after an inventory import; autovacuum
   * analyses a minute or more later) and with them it picks hash or merge joins and sequential
   * scans that read whole tables for a hundred rows: measured 10-70 ms a statement instead of
   * 1 ms. Index lookups are the right plan for key work at any table size. JIT compilation is
   * off as well: it costs 100-500 ms a statement, and a statement of a hundred rows never earns it back.
   */
  keyLookups?: boolean;
}

const KEY_LOOKUPS = `SELECT set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true), set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)`;

/**
 * The store: PostgreSQL through TypeORM, schema built by the migrations. Callers use the
 * repositories, outside a transaction (`repos`) or inside one (`transaction`); they never
 * see the DataSource. While PostgreSQL is unreachable every call fails with
 * StoreUnavailableError, and the pool reconnects by itself when it returns.
 */
export class Store {
  private dataSource?: DataSource;
  private reposCache?: Repositories;
  private starting?: Promise<void>;
  private closed = false;
  private retryTimer?: NodeJS.Timeout;
  private resolveStarted!: () => void;
  private readonly startedPromise = new Promise<void>((resolve) => (this.resolveStarted = resolve));

  constructor(private readonly options: StoreOptions) {}

  /** Connects, opens and migrates a store in one go (tools, tests). */
  static async open(options: StoreOptions): Promise<Store> {
    const store = new Store(options);
    await store.start();
    return store;
  }

  /** True once connected and migrated. */
  get started(): boolean {
    return this.dataSource?.isInitialized === true && this.reposCache !== undefined;
  }

  /**
   * Connects and brings the schema up to date (migrations run under an advisory lock, so
   * replicas starting together migrate once). Throws StoreUnavailableError when PostgreSQL
   * cannot be reached; call again to retry.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.starting ??= this.connect().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async connect(): Promise<void> {
    const ds = createDataSource(this.options);
    try {
      await ds.initialize();
      if (!this.options.synchronizeForTests) await migrate(ds);
    } catch (err) {
      await ds.destroy().catch(() => undefined);
      throw translateError(err);
    }
    this.dataSource = ds;
    this.reposCache = wrapErrors(new Repositories(ds.manager));
    this.resolveStarted();
  }

  /** Resolves once the store has started (connected and migrated). */
  whenStarted(): Promise<void> {
    return this.startedPromise;
  }

  /**
   * Starts without blocking the caller: retried every `retryMs` until PostgreSQL answers,
   * each failure reported to `onError`. A service boots (and says it is not ready) while
   * its database is away; stop() ends the retries.
   */
  startInBackground(options: { retryMs?: number; onError?: (err: unknown) => void } = {}): void {
    const retryMs = options.retryMs ?? 1000;
    const attempt = (): void => {
      if (this.closed || this.started) return;
      this.start().catch((err: unknown) => {
        options.onError?.(err);
        if (!this.closed) this.retryTimer = setTimeout(attempt, retryMs);
      });
    };
    attempt();
  }

  /** Repositories outside a transaction (each statement commits on its own). */
  get repos(): Repositories {
    if (!this.reposCache) throw new StoreUnavailableError('the store is not started (PostgreSQL not reached yet)');
    return this.reposCache;
  }

  /** One round trip (readiness). */
  async ping(): Promise<void> {
    const ds = this.requireDataSource();
    try {
      await ds.query('SELECT 1');
    } catch (err) {
      throw translateError(err);
    }
  }

  /**
   * Runs `work` in one transaction with repositories bound to it: committed when it resolves,
   * rolled back when it throws. Deadlocks and serialization failures run it again.
   */
  async transaction<T>(work: (repos: Repositories) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const attempts = options.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const ds = this.requireDataSource();
      let runner: QueryRunner | undefined;
      try {
        runner = ds.createQueryRunner();
        await runner.startTransaction();
        if (options.keyLookups) await runner.query(KEY_LOOKUPS);
        const result = await work(new Repositories(runner.manager));
        await runner.commitTransaction();
        return result;
      } catch (err) {
        if (runner?.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        const state = sqlState(err);
        const retryable =
          (state !== undefined && RETRYABLE_STATES.includes(state)) ||
          (options.retryOnUniqueViolation === true && state === UNIQUE_VIOLATION) ||
          options.retryIf?.(err) === true;
        if (retryable && attempt < attempts) {
          // Jitter so that the colliding transactions do not collide again.
          await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
          continue;
        }
        if (retryable && state === undefined) throw err;
        if (retryable && state === UNIQUE_VIOLATION) throw new StoreConflictError(`conflict after ${attempt} attempts: ${(err as Error).message}`, { cause: err });
        if (retryable) throw new StoreContentionError(`contention after ${attempt} attempts: ${(err as Error).message}`, { cause: err });
        throw translateError(err);
      } finally {
        await runner?.release().catch(() => undefined);
      }
    }
  }

  /**
   * Listens to a notification channel on a connection of its own (started now, reconnecting
   * by itself); `onStale` is called on every notification and every loss or gain of the
   * connection. Stop it before closing the store.
   */
  listen(channel: string, onStale: () => void): ChannelListener {
    const { url, ssl } = connectionOptions(this.options);
    const listener = new ChannelListener(
      {
        connectionString: url,
        ssl,
        application_name: `${this.options.applicationName ?? 'maintwatch'}-listen`,
        connectionTimeoutMillis: this.options.connectTimeoutMs ?? 2000,
      },
      channel,
      onStale,
    );
    listener.start();
    return listener;
  }

  /** Closes the pool. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.starting?.catch(() => undefined);
    const ds = this.dataSource;
    this.dataSource = undefined;
    this.reposCache = undefined;
    if (ds?.isInitialized) await ds.destroy();
  }

  private requireDataSource(): DataSource {
    if (!this.dataSource?.isInitialized) throw new StoreUnavailableError('the store is not started (PostgreSQL not reached yet)');
    return this.dataSource;
  }
}

async function migrate(ds: DataSource): Promise<void> {
  // TypeORM 0.3 takes no lock around migrations: replicas starting together would race to
  // create the same tables. A session advisory lock on a dedicated connection serialises them.
  const runner = ds.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [LOCKS.migrations]);
    try {
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [LOCKS.migrations]).catch(() => undefined);
    }
  } finally {
    await runner.release();
  }
}

/** Repositories whose every method reports connection loss and contention as the store's errors. */
function wrapErrors(repos: Repositories): Repositories {
  return new Proxy(repos, {
    get(target, prop, receiver) {
      const repo = Reflect.get(target, prop, receiver) as object;
      if (typeof repo !== 'object' || repo === null) return repo;
      return new Proxy(repo, {
        get(r, name, rr) {
          const value = Reflect.get(r, name, rr) as unknown;
          if (typeof value !== 'function') return value;
          return async (...args: unknown[]) => {
            try {
              return await (value as (...a: unknown[]) => Promise<unknown>).apply(r, args);
            } catch (err) {
              throw translateError(err);
            }
          };
        },
      });
    },
  });
}
