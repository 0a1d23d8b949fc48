import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { KV_BUCKETS } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';
import { builtInRegistry, type ProviderOverride, type ProviderRegistry } from '@maintwatch/providers';
import { ParsePool } from './parse-pool';

/**
 * The provider table the parser uses: built-ins with the operators' edits from the
 * `providers` KV bucket (written by maintenance-api) on top, kept current by a watch.
 * Each key of the bucket is a provider type; its value a ProviderOverride as JSON.
 */
@Injectable()
export class ProviderOverridesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProviderOverridesService.name);
  private readonly builtIn = builtInRegistry();
  private current: ProviderRegistry = this.builtIn;
  private readonly overrides = new Map<string, ProviderOverride>();
  private stopWatch?: () => void;

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(ParsePool) private readonly pool: ParsePool,
  ) {}

  /** The registry to parse with now. */
  registry(): ProviderRegistry {
    return this.current;
  }

  async onApplicationBootstrap(): Promise<void> {
    const kv = await this.bus.kv(KV_BUCKETS.providers);
    const watch = await kv.watch();
    this.stopWatch = () => watch.stop();
    void (async () => {
      for await (const entry of watch) {
        if (entry.operation === 'PUT') {
          try {
            const value = entry.json<ProviderOverride>();
            this.overrides.set(entry.key, { ...value, type: entry.key });
          } catch (err) {
            this.logger.warn(`providers/${entry.key}: not a provider override (${(err as Error).message}); ignored`);
            continue;
          }
        } else {
          this.overrides.delete(entry.key);
        }
        try {
          const overrides = [...this.overrides.values()];
          this.current = this.builtIn.withOverrides(overrides);
          // The workers parse with the same table (validated just above).
          this.pool.setOverrides(overrides);
        } catch (err) {
          this.logger.error(`provider overrides rejected, keeping the previous table: ${(err as Error).message}`);
        }
      }
    })();
  }

  onApplicationShutdown(): void {
    this.stopWatch?.();
  }
}
