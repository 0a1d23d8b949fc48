import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { MaintenanceSnapshot } from '@maintwatch/contracts';
import type { MaintenanceRecord } from '@maintwatch/persistence';

/** What events say about a maintenance's authentication. */
export type SnapshotAuthentication = NonNullable<MaintenanceSnapshot['authentication']>;

/**
 * Whether devices may be acted on for a maintenance (junos-gateway drains only actionable
 * ones): the notice that set the maintenance as it now is must be authenticated for the
 * provider's domain (the parser's DKIM / trusted Authentication-Results verdict), unless the
 * operator lists the provider in ALLOW_UNAUTHENTICATED_PROVIDERS (a provider that does not sign
 * its mail; "*" for all).
 */
export class AuthenticationPolicy {
  private readonly all: boolean;
  private readonly allowed: ReadonlySet<string>;

  constructor(allowUnauthenticated: readonly string[] = []) {
    this.all = allowUnauthenticated.includes('*');
    this.allowed = new Set(allowUnauthenticated.map((s) => s.toLowerCase()));
  }

  of(m: Pick<MaintenanceRecord, 'providerType' | 'lastNoticeId' | 'authenticity'>): SnapshotAuthentication {
    const a = m.authenticity;
    const authenticated = a?.verdict === 'pass';
    const from = m.lastNoticeId ? `notice ${m.lastNoticeId}` : 'the last notice';
    let reason = a ? `${from}: ${a.verdict === 'pass' ? '' : `${a.verdict}: `}${a.reason}` : `${from}: authenticity not checked`;
    const allowed = !authenticated && (this.all || this.allowed.has(m.providerType.toLowerCase()));
    if (allowed) reason += `; acted on anyway (${m.providerType} is allowed unauthenticated by ALLOW_UNAUTHENTICATED_PROVIDERS)`;
    return { authenticated, actionable: authenticated || allowed, reason: reason.slice(0, 1024) };
  }
}

/** Provides the AuthenticationPolicy everywhere snapshots are built. */
@Global()
@Module({})
export class AuthenticationModule {
  static forRoot(allowUnauthenticated: readonly string[]): DynamicModule {
    return {
      module: AuthenticationModule,
      providers: [{ provide: AuthenticationPolicy, useValue: new AuthenticationPolicy(allowUnauthenticated) }],
      exports: [AuthenticationPolicy],
    };
  }
}
