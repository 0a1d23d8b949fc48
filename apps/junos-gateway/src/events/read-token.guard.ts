import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Store } from '@maintwatch/persistence';

// The gateway reads the same API tokens as maintenance-api (`npm run token -- create`), from
// the api_token table of the database they share. maintenance-api's guard lives in that app
// (apps never import each other), so the few lines of lookup are repeated here: SHA-256 of the
// token, looked up by hash, compared in constant time. Read and write tokens both may read.

const TOKEN = /^mwt_[A-Za-z0-9_-]{40,64}$/;

/** The API token a request was let in with (set by the token guards). */
export interface AuthenticatedRequest extends FastifyRequest {
  apiToken?: { name: string; scope: string };
}

/** Checks the request's bearer token against api_token; 401 when missing, unknown or revoked. */
export async function verifyApiToken(store: Store, req: AuthenticatedRequest): Promise<{ name: string; scope: string }> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m || !TOKEN.test(m[1])) throw new UnauthorizedException('an API token is required (Authorization: Bearer)');
  const hash = createHash('sha256').update(m[1], 'utf8').digest('hex');
  const found = await store.repos.api.tokens.findActiveByHash(hash);
  const same = found !== undefined && timingSafeEqual(Buffer.from(found.tokenHash, 'hex'), Buffer.from(hash, 'hex'));
  if (!same || !found) throw new UnauthorizedException('the API token is not valid (unknown or revoked)');
  req.apiToken = { name: found.name, scope: found.scope };
  return req.apiToken;
}

/** Routes behind it need `Authorization: Bearer <API token>` (any scope). */
@Injectable()
export class ReadTokenGuard implements CanActivate {
  constructor(@Inject(Store) private readonly store: Store) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    await verifyApiToken(this.store, ctx.switchToHttp().getRequest<AuthenticatedRequest>());
    return true;
  }
}
