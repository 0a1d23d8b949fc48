import type { ProviderDefinition, ProviderOverride } from './types';

/** Type of the generic BCOP provider, used for unknown senders whose mail has a BCOP calendar. */
export const GENERIC_PROVIDER_TYPE = 'genericprovider';

/**
 * The provider table: built-in definitions with operator overrides applied (an override
 * wins). Sender lookup picks the most specific match: an exact address, then the longest
 * domain (subdomains match their parent domain).
 */
export class ProviderRegistry {
  private readonly byType = new Map<string, ProviderDefinition>();
  private readonly byAddress = new Map<string, ProviderDefinition>();
  private readonly byDomain = new Map<string, ProviderDefinition>();

  constructor(
    private readonly builtIns: readonly ProviderDefinition[],
    private readonly overrides: readonly ProviderOverride[] = [],
  ) {
    const overrideByType = new Map(overrides.map((o) => [o.type.toLowerCase(), o]));
    for (const def of builtIns) {
      const o = overrideByType.get(def.type);
      if (o?.enabled === false) continue;
      const merged: ProviderDefinition = o
        ? {
            ...def,
            name: o.name ?? def.name,
            senders: o.senders ?? def.senders,
            defaultOrganizer: o.defaultOrganizer ?? def.defaultOrganizer,
          }
        : def;
      if (this.byType.has(merged.type)) throw new Error(`duplicate provider type ${merged.type}`);
      this.byType.set(merged.type, merged);
      for (const s of merged.senders) {
        const key = s.trim().toLowerCase().replace(/^@/, '');
        (key.includes('@') ? this.byAddress : this.byDomain).set(key, merged);
      }
    }
  }

  /** A registry with these overrides applied on top of the same built-ins. */
  withOverrides(overrides: readonly ProviderOverride[]): ProviderRegistry {
    return new ProviderRegistry(this.builtIns, overrides);
  }

  /** Every enabled provider. */
  list(): ProviderDefinition[] {
    return [...this.byType.values()];
  }

  /** The provider of this type (case-insensitive), if enabled. */
  get(type: string): ProviderDefinition | undefined {
    return this.byType.get(type.toLowerCase());
  }

  /** The provider that sends from this address, if any. */
  bySender(address: string | undefined): ProviderDefinition | undefined {
    if (!address) return undefined;
    const addr = address.trim().toLowerCase();
    const exact = this.byAddress.get(addr);
    if (exact) return exact;
    let domain = addr.slice(addr.lastIndexOf('@') + 1);
    while (domain.includes('.')) {
      const hit = this.byDomain.get(domain);
      if (hit) return hit;
      domain = domain.slice(domain.indexOf('.') + 1);
    }
    return undefined;
  }
}
