import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { KV_BUCKETS } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';
import { BUILT_IN_PROVIDERS, type ProviderOverride } from '@maintwatch/providers';
import { Store } from '@maintwatch/persistence';
import { ProviderDirectory } from './provider-directory';

const RETRY_MS = 5000;

/**
 * The provider table: seeded from the built-in registry at start (operator edits kept), and
 * written, merged, to the `providers` KV bucket that the parser watches (key = provider type,
 * value = ProviderOverride JSON). Only keys whose value changed are written.
 */
@Injectable()
export class ProviderTableService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ProviderTableService.name);
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly seeded: Promise<void>;
  private resolveSeeded!: () => void;

  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(Bus) private readonly bus: Bus,
    @Inject(ProviderDirectory) private readonly directory: ProviderDirectory,
  ) {
    this.seeded = new Promise((resolve) => (this.resolveSeeded = resolve));
  }

  onApplicationBootstrap(): void {
    void this.store.whenStarted().then(() => this.attempt());
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Resolves once the built-ins are seeded and the table published. */
  whenPublished(): Promise<void> {
    return this.seeded;
  }

  private attempt(): void {
    if (this.stopped) return;
    this.running = this.seedAndPublish().then(
      () => this.resolveSeeded(),
      (err: unknown) => {
        this.logger.warn(`provider table not published yet: ${(err as Error)?.message ?? String(err)}; retrying`);
        this.timer = setTimeout(() => this.attempt(), RETRY_MS);
      },
    );
  }

  private async seedAndPublish(): Promise<void> {
    const changed = await this.store.repos.providers.seedBuiltIns(
      BUILT_IN_PROVIDERS.map((p) => ({ type: p.type, name: p.name, senders: p.senders, defaultOrganizer: p.defaultOrganizer })),
    );
    if (changed > 0) this.logger.log(`${changed} built-in provider(s) seeded or refreshed`);
    await this.publish();
  }

  /** Writes the merged provider table to the KV bucket (after an operator's edit, too). */
  async publish(): Promise<{ written: number; deleted: number }> {
    const providers = await this.store.repos.providers.list();
    this.directory.remember(providers.map((p) => p.type));
    this.directory.invalidate();
    const kv = await this.bus.kv(KV_BUCKETS.providers);
    let written = 0;
    let deleted = 0;
    const wanted = new Set<string>();
    for (const p of providers) {
      wanted.add(p.type);
      const value: ProviderOverride = { type: p.type, name: p.name, senders: p.senders, enabled: p.enabled };
      if (p.defaultOrganizer !== undefined) value.defaultOrganizer = p.defaultOrganizer;
      const json = JSON.stringify(value);
      const entry = await kv.get(p.type);
      if (entry && entry.operation === 'PUT' && entry.string() === json) continue;
      await kv.put(p.type, json);
      written++;
    }
    for await (const key of await kv.keys()) {
      if (wanted.has(key)) continue;
      await kv.delete(key);
      deleted++;
    }
    if (written + deleted > 0) this.logger.log(`provider table published: ${written} written, ${deleted} removed`);
    return { written, deleted };
  }
}
