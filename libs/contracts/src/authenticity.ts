import { z } from 'zod';

/**
 * Whether a notice really comes from the provider it claims: checked by the parser from the
 * notice's own DKIM signatures (a signing domain aligned with the provider's organisational
 * domain) or from the topmost Authentication-Results header of an MTA the operator trusts.
 *
 * - pass: a valid signature (or trusted dkim/dmarc pass) for the provider's domain;
 * - fail: signatures present, none valid and aligned (forged, altered, or another domain);
 * - none: nothing to check (no signature, no trusted Authentication-Results);
 * - temperror: the check could not be completed (DNS unreachable): not authenticated, retryable.
 */
export const AuthenticityVerdict = z.enum(['pass', 'fail', 'none', 'temperror']);
/** One authenticity verdict. */
export type AuthenticityVerdict = z.infer<typeof AuthenticityVerdict>;

export const Authenticity = z.strictObject({
  verdict: AuthenticityVerdict,
  /** What decided: the notice's DKIM signature, a trusted Authentication-Results header, or nothing. */
  method: z.enum(['dkim', 'authentication-results', 'none']),
  /** The domain that authenticated the notice (DKIM d= or header.from), when one did. */
  domain: z.string().min(1).max(253).optional(),
  /** One line for people: why this verdict. */
  reason: z.string().min(1).max(1024),
});
/** How a notice was authenticated. */
export type Authenticity = z.infer<typeof Authenticity>;
