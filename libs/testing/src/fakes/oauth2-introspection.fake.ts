import { randomBytes } from 'node:crypto';
import { formFields, startFakeHttpServer, type FakeRequest } from './http-fake';

/** A local OAuth2 authorization server's token-introspection endpoint (RFC 7662). */
export interface OAuth2IntrospectionFake {
  /** The endpoint to configure in the resource server (Dovecot's `introspection_url`). */
  readonly introspectionUrl: string;
  /** Every request answered (method, path, status). */
  readonly requests: FakeRequest[];
  /** Issues an access token for `username`, active for `expiresInS` seconds (default one hour). */
  issueToken(username: string, options?: { expiresInS?: number; scope?: string }): string;
  /** Revokes a token: introspection answers `{ "active": false }` from now on. */
  revoke(token: string): void;
  stop(): Promise<void>;
}

/**
 * Starts a token-introspection endpoint as an authorization server runs one: POST with a form
 * field `token`; an active token answers `{ active: true, username, scope, exp, token_type }`, an
 * unknown, expired or revoked one `{ active: false }` (with 200, as RFC 7662 says). A request
 * without a token is a 400, any other method a 405.
 */
export async function startOAuth2Introspection(): Promise<OAuth2IntrospectionFake> {
  const tokens = new Map<string, { username: string; exp: number; scope: string; revoked: boolean }>();
  const server = await startFakeHttpServer((req, body, url) => {
    if (url.pathname !== '/introspect') return { status: 404, body: { error: 'not_found' } };
    if (req.method !== 'POST') return { status: 405, body: { error: 'invalid_request' }, headers: { allow: 'POST' } };
    const token = formFields(body).get('token');
    if (!token) return { status: 400, body: { error: 'invalid_request', error_description: 'token is required' } };
    const entry = tokens.get(token);
    const now = Math.floor(Date.now() / 1000);
    if (!entry || entry.revoked || entry.exp <= now) return { status: 200, body: { active: false } };
    return {
      status: 200,
      body: { active: true, username: entry.username, scope: entry.scope, exp: entry.exp, token_type: 'Bearer' },
    };
  });
  return {
    introspectionUrl: `${server.baseUrl}/introspect`,
    requests: server.requests,
    issueToken(username, options = {}) {
      const token = `ya29.${randomBytes(24).toString('base64url')}`;
      tokens.set(token, {
        username,
        exp: Math.floor(Date.now() / 1000) + (options.expiresInS ?? 3600),
        scope: options.scope ?? 'https://mail.example/imap',
        revoked: false,
      });
      return token;
    },
    revoke(token) {
      const entry = tokens.get(token);
      if (entry) entry.revoked = true;
    },
    stop: () => server.stop(),
  };
}
