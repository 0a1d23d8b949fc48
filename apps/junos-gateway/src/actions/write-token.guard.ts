import { ForbiddenException, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Store } from '@maintwatch/persistence';
import { verifyApiToken, type AuthenticatedRequest } from '../events/read-token.guard';

/**
 * Routes that act on devices need an API token of scope `write` (`npm run token -- create
 * --scope write`), the same tokens maintenance-api's write routes take; its name is audited as
 * `requested_by`.
 */
@Injectable()
export class WriteTokenGuard implements CanActivate {
  constructor(@Inject(Store) private readonly store: Store) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const token = await verifyApiToken(this.store, ctx.switchToHttp().getRequest<AuthenticatedRequest>());
    if (token.scope !== 'write') throw new ForbiddenException(`token ${token.name} has scope ${token.scope}: acting on devices needs a write token`);
    return true;
  }
}
