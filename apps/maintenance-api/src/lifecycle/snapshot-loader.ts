import { Inject, Injectable, Optional } from '@nestjs/common';
import type { MaintenanceSnapshot } from '@maintwatch/contracts';
import type { ImpactRecord, MaintenanceRecord, Repositories } from '@maintwatch/persistence';
import { AuthenticationPolicy } from '../authentication/authentication-policy';
import { ProviderDirectory } from '../providers/provider-directory';
import { groupsOf, snapshotOf } from './lifecycle-rules';

/** Builds event snapshots inside a transaction, reading only what the caller does not already have. */
@Injectable()
export class SnapshotLoader {
  constructor(
    @Inject(ProviderDirectory) private readonly providers: ProviderDirectory,
    // Absent (unit tests): nothing is allowed unauthenticated.
    @Optional() @Inject(AuthenticationPolicy) private readonly authentication: AuthenticationPolicy = new AuthenticationPolicy(),
  ) {}

  /** The snapshot of `m`; `impacts` and the linked maintenances' ids are read when not given. */
  async snapshot(
    r: Repositories,
    m: MaintenanceRecord,
    known: { impacts?: readonly ImpactRecord[]; links?: ReadonlyMap<string, string> } = {},
  ): Promise<MaintenanceSnapshot> {
    const impacts = known.impacts ?? (await r.maintenances.impacts(m.id));
    const groups = groupsOf(impacts);
    const groupSizes = groups.length > 0 ? await r.circuits.groupSizes(groups) : new Map<string, number>();
    const linkId = async (id: string | undefined) => {
      if (!id) return undefined;
      return known.links?.get(id) ?? (await r.maintenances.getById(id))?.maintenanceId;
    };
    return snapshotOf(m, {
      providerName: await this.providers.name(r, m.providerType),
      impacts,
      groupSizes,
      replaces: await linkId(m.replacesId),
      replacedBy: await linkId(m.replacedById),
      authentication: this.authentication.of(m),
    });
  }
}
