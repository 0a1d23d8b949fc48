import { Inject, Injectable, SetMetadata, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { PUBLIC_ROUTE } from '@maintwatch/observability';
import type { TokenScope } from '@maintwatch/persistence';
import { ForbiddenScopeError, UnauthenticatedError } from '../errors';
import { hashToken, looksLikeToken, sameHash } from './api-token';
import { ApiTokenCache } from './api-token-cache';

/** Who is calling: the token's name and scope. */
export interface Principal {
  tokenId: string;
  name: string;
  scope: TokenScope;
}

const SCOPE = 'maintwatch:scope';
const QUERY_TOKEN = 'maintwatch:query-token';

/** The scope a route needs (default: read for GET and HEAD, write for anything else). */
export const RequireScope = (scope: TokenScope) => SetMetadata(SCOPE, scope);

/** The route also takes the token as `?token=` (calendar clients cannot send headers). */
export const AllowQueryToken = () => SetMetadata(QUERY_TOKEN, true);

/** The calling token (set by ApiAuthGuard). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  return (ctx.switchToHttp().getRequest<FastifyRequest & { principal: Principal }>()).principal;
});

/**
 * Global (APP_GUARD): every route of the app needs a token unless it, or its controller, is
 * marked `@Public()` (health, readiness, metrics); a new controller is protected by default.
 * The token: `Authorization: Bearer <token>` (and `?token=` where allowed).
 * 401 without one or with an unknown or revoked one; 403 when its scope is read and the
 * route writes. Tokens are looked up by their hash (cached, see ApiTokenCache) and compared
 * in constant time.
 */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(
    @Inject(ApiTokenCache) private readonly tokens: ApiTokenCache,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    // Only HTTP requests: the app's JetStream handlers go through guards too, and a message has no token.
    if (ctx.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [ctx.getHandler(), ctx.getClass()]) === true) return true;
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const allowQuery = this.reflector.getAllAndOverride<boolean>(QUERY_TOKEN, [ctx.getHandler(), ctx.getClass()]) === true;
    const token = tokenOf(req, allowQuery);
    if (token === undefined) throw new UnauthenticatedError(allowQuery ? 'an API token is required (Authorization: Bearer, or ?token=)' : 'an API token is required (Authorization: Bearer)');
    if (!looksLikeToken(token)) throw new UnauthenticatedError('the API token is not valid');
    const hash = hashToken(token);
    const found = await this.tokens.find(hash);
    if (!found || !sameHash(found.tokenHash, hash)) throw new UnauthenticatedError('the API token is not valid (unknown or revoked)');
    const needed = this.reflector.getAllAndOverride<TokenScope>(SCOPE, [ctx.getHandler(), ctx.getClass()]) ?? (['GET', 'HEAD'].includes(req.method) ? 'read' : 'write');
    if (needed === 'write' && found.scope !== 'write') throw new ForbiddenScopeError(`this request needs a token with the write scope; "${found.name}" has ${found.scope}`);
    req.principal = { tokenId: found.id, name: found.name, scope: found.scope };
    return true;
  }
}

function tokenOf(req: FastifyRequest, allowQuery: boolean): string | undefined {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.trim() !== '') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
    return m ? m[1] : '';
  }
  if (allowQuery) {
    const q = (req.query as Record<string, unknown> | undefined)?.token;
    if (typeof q === 'string' && q !== '') return q;
  }
  return undefined;
}
