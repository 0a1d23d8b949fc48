import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { API_TOKEN_CHANNEL, Store, type ChannelListener, type TokenScope } from '@maintwatch/persistence';

/** A token as the guard needs it. */
export interface ActiveToken {
  id: string;
  name: string;
  scope: TokenScope;
  tokenHash: string;
}

/** Most tokens kept; past it the cache starts over (there are a handful of tokens in practice). */
const MAX_ENTRIES = 10_000;
/** Longest a lookup is trusted, even with notifications flowing. */
const TTL_MS = 60_000;

/**
 * Token lookups by hash, cached in memory so that a request costs no PostgreSQL round trip
 * for its token (measured: half the queries of a list request). Trusted only while the
 * store's notification channel for api_token is listened to: a revocation, from the CLI or
 * any SQL, is announced by a trigger at commit and empties the cache on every replica; while
 * the channel is not listened to (connection lost, PostgreSQL restarting) every request
 * looks its token up again. A lookup that started before a notification is not cached.
 */
@Injectable()
export class ApiTokenCache implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly entries = new Map<string, { token: ActiveToken; expires: number }>();
  private generation = 0;
  private listener?: ChannelListener;

  constructor(@Inject(Store) private readonly store: Store) {}

  onApplicationBootstrap(): void {
    this.listener = this.store.listen(API_TOKEN_CHANNEL, () => {
      this.generation++;
      this.entries.clear();
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.stop();
  }

  /** The active token with this hash, or undefined. */
  async find(tokenHash: string): Promise<ActiveToken | undefined> {
    const trusted = this.listener?.listening === true;
    if (trusted) {
      const hit = this.entries.get(tokenHash);
      if (hit && hit.expires > Date.now()) return hit.token;
    }
    const generation = this.generation;
    const found = await this.store.repos.api.tokens.findActiveByHash(tokenHash);
    if (found && trusted && this.listener?.listening && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(tokenHash, { token: { id: found.id, name: found.name, scope: found.scope, tokenHash: found.tokenHash }, expires: Date.now() + TTL_MS });
    }
    return found;
  }
}
