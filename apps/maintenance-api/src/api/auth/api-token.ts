import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Tokens are random (32 bytes), so a plain SHA-256 is enough to store them: unlike passwords
// there is nothing to brute-force, and the lookup stays one index probe.

const PREFIX = 'mwt_';

/** A new token: shown once to the operator, only its hash is stored. */
export function generateToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/** Hex SHA-256 of a token (what is stored and looked up). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex hashes. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** True when the text looks like a token (cheap check before the database). */
export function looksLikeToken(token: string): boolean {
  return token.startsWith(PREFIX) && /^[A-Za-z0-9_-]{40,64}$/.test(token.slice(PREFIX.length));
}
