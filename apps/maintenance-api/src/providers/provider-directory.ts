import { Injectable } from '@nestjs/common';
import type { Repositories } from '@maintwatch/persistence';

const NAME_TTL_MS = 30_000;

/**
 * Provider facts the intake needs on every message, kept in memory: which types have a row
 * (so the hot path inserts none) and their display names (refreshed every 30 s, so an
 * operator's rename shows in events soon without a query per message).
 */
@Injectable()
export class ProviderDirectory {
  private readonly known = new Set<string>();
  private readonly names = new Map<string, { name: string; until: number }>();

  /** Types known to have a provider row. */
  remember(types: Iterable<string>): void {
    for (const t of types) this.known.add(t);
  }

  /** Inserts the provider row if this type was never seen; call remember() after the commit. */
  async ensure(r: Repositories, type: string): Promise<boolean> {
    if (this.known.has(type)) return false;
    await r.providers.ensure(type);
    return true;
  }

  /** The provider's display name. */
  async name(r: Repositories, type: string): Promise<string> {
    const cached = this.names.get(type);
    if (cached && cached.until > Date.now()) return cached.name;
    const name = (await r.providers.get(type))?.name ?? type;
    this.names.set(type, { name, until: Date.now() + NAME_TTL_MS });
    return name;
  }

  /** Forgets cached names (after an operator's edit). */
  invalidate(): void {
    this.names.clear();
  }
}
