import { createHmac, timingSafeEqual } from 'node:crypto';
import { ReplayCache } from './replay-cache';

/** Why a webhook was refused (a metrics label; the device only ever sees 401). */
export type RefusalReason = 'missing-signature' | 'invalid-hex' | 'bad-timestamp' | 'stale' | 'forged' | 'replayed';

/** The outcome of verifying one request's signature. */
export type Verification =
  | { ok: true; scheme: 'timestamped' | 'legacy'; signature: string; timestamp?: number }
  | { ok: false; reason: RefusalReason };

/** How signatures are checked. */
export interface VerifierOptions {
  /** Every secret currently accepted (rotation: old and new at once). */
  secrets: readonly string[];
  /** |now - Junos-Timestamp| allowed, seconds. */
  windowSeconds: number;
  /** Accept the seed agent's body-only signature (no Junos-Timestamp). */
  acceptLegacy: boolean;
  /** Signatures remembered for replay detection at most (oldest dropped first). */
  replayCapacity?: number;
}

const HEX64 = /^[0-9a-f]{64}$/i;
const TIMESTAMP = /^[0-9]{1,12}$/;

/**
 * Checks `Junos-Auth` (hex HMAC-SHA256) over the raw body bytes as the device sent them:
 * `"<Junos-Timestamp>." + body` in the timestamped scheme, the body alone in the seed agent's
 * legacy scheme. Each secret is tried with a constant-time comparison; a signature accepted once
 * is refused as a replay for the rest of the window.
 */
export class WebhookVerifier {
  private readonly keys: Buffer[];
  private readonly replays: ReplayCache;

  constructor(private readonly options: VerifierOptions) {
    if (options.secrets.length === 0) throw new Error('at least one webhook secret is required');
    this.keys = options.secrets.map((s) => Buffer.from(s, 'utf8'));
    this.replays = new ReplayCache(options.replayCapacity ?? 200_000);
  }

  /** Verifies one request; `nowSeconds` is the gateway's clock (UTC epoch seconds). */
  verify(auth: string | undefined, timestamp: string | undefined, body: Buffer, nowSeconds: number): Verification {
    if (auth === undefined || auth === '') return { ok: false, reason: 'missing-signature' };
    // Buffer.from(x, 'hex') silently stops at the first non-hex pair: check the shape first.
    if (!HEX64.test(auth)) return { ok: false, reason: 'invalid-hex' };
    const given = Buffer.from(auth, 'hex');
    let ts: number | undefined;
    if (timestamp !== undefined) {
      if (!TIMESTAMP.test(timestamp)) return { ok: false, reason: 'bad-timestamp' };
      ts = Number(timestamp);
      if (Math.abs(nowSeconds - ts) > this.options.windowSeconds) return { ok: false, reason: 'stale' };
    } else if (!this.options.acceptLegacy) {
      return { ok: false, reason: 'bad-timestamp' };
    }
    const prefix = ts !== undefined ? Buffer.from(`${timestamp}.`, 'ascii') : undefined;
    let matched = false;
    // Every secret is tried (no early exit), so timing does not tell which one matched.
    for (const key of this.keys) {
      const h = createHmac('sha256', key);
      if (prefix) h.update(prefix);
      const expected = h.update(body).digest();
      if (timingSafeEqual(expected, given)) matched = true;
    }
    if (!matched) return { ok: false, reason: 'forged' };
    const signature = auth.toLowerCase();
    // Remembered until the request could no longer pass the window check (legacy: one window from now).
    const expiresAt = (ts ?? nowSeconds) + this.options.windowSeconds;
    if (!this.replays.remember(signature, expiresAt, nowSeconds)) return { ok: false, reason: 'replayed' };
    return ts !== undefined ? { ok: true, scheme: 'timestamped', signature, timestamp: ts } : { ok: true, scheme: 'legacy', signature };
  }

  /** Forgets a signature (the request was accepted but could not be stored, so the device's retry must pass). */
  forget(signature: string): void {
    this.replays.forget(signature);
  }
}

/** hex HMAC-SHA256 of a webhook body in the timestamped scheme (the agent's and the tests' signer). */
export function signWebhook(secret: string, body: Buffer | string, timestamp?: number): string {
  const h = createHmac('sha256', secret);
  if (timestamp !== undefined) h.update(`${timestamp}.`);
  return h.update(body).digest('hex');
}
