import { promises as dns } from 'node:dns';
import type { Authenticity } from '@maintwatch/contracts';
import { dkimVerify, type DNSResolver } from 'mailauth';
import { getDomain } from 'tldts';
// mailauth's own structured-header reader (the DKIM-Signature / Authentication-Results
// "method=result ptype.property=value" grammar); not in its typed entry point.
const parseAuthHeader = require('mailauth/lib/parse-dkim-headers.js') as (line: string) => { parsed?: AuthHeader };

interface AuthResultEntry {
  value?: string;
  header?: Record<string, string>;
  comment?: string;
}
interface AuthHeader {
  value?: string;
  [method: string]: unknown;
}

/** How notices are authenticated. */
export interface AuthenticityOptions {
  /** Verify the notice's DKIM signatures (DNS lookups of the selectors' keys). */
  verifyDkim: boolean;
  /**
   * authserv-ids of the MTAs whose topmost Authentication-Results header is believed (the
   * mailbox's own MTA: e.g. mx.google.com for Gmail, the Dovecot/Postfix host name). Empty:
   * no such header is believed.
   */
  trustedAuthservIds: readonly string[];
  /** DNS lookups for DKIM keys (default: the system's resolver, cached, with a timeout). */
  resolver?: DNSResolver;
  /** The time signatures are checked at (default now). */
  now?: () => Date;
}

/** Headers above this size are not verified (a hostile header block must not cost seconds). */
export const MAX_VERIFIED_HEADER_BYTES = 256 * 1024;

/** The organisational domain of an address or domain ("noc@mail.zayo.com" -> "zayo.com"). */
export function orgDomain(addressOrDomain: string): string {
  const host = (addressOrDomain.includes('@') ? addressOrDomain.slice(addressOrDomain.lastIndexOf('@') + 1) : addressOrDomain).trim().toLowerCase().replace(/\.$/, '');
  return getDomain(host, { allowPrivateDomains: true }) ?? host;
}

function headerBlock(raw: Buffer): Buffer {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const end = [crlf, lf].filter((i) => i >= 0).reduce((a, b) => Math.min(a, b), raw.length);
  return raw.subarray(0, end);
}

/** The topmost Authentication-Results header's value, unfolded (undefined when there is none). */
function topmostAuthenticationResults(headers: Buffer): string | undefined {
  const text = headers.toString('latin1');
  // Header field names start a line; continuation lines start with whitespace (RFC 5322 2.2.3).
  const start = /^authentication-results[ \t]*:/im.exec(text);
  if (!start) return undefined;
  let end = text.indexOf('\n', start.index);
  while (end >= 0 && (text[end + 1] === ' ' || text[end + 1] === '\t')) end = text.indexOf('\n', end + 1);
  return text.slice(start.index, end < 0 ? text.length : end).replace(/\r?\n/g, '\r\n');
}

const asEntries = (v: unknown): AuthResultEntry[] => (Array.isArray(v) ? (v as AuthResultEntry[]) : v && typeof v === 'object' ? [v as AuthResultEntry] : []);

function fromAuthenticationResults(line: string, trusted: ReadonlySet<string>, provider: ReadonlySet<string>): Authenticity | undefined {
  const parsed = parseAuthHeader(line).parsed;
  const authserv = (parsed?.value ?? '').trim().toLowerCase();
  if (!parsed || !trusted.has(authserv)) return undefined;
  const dkim = asEntries(parsed.dkim);
  const dmarc = asEntries(parsed.dmarc);
  const dkimDomain = (e: AuthResultEntry): string | undefined => (e.header?.d ?? e.header?.i?.replace(/^.*@/, ''))?.toLowerCase();
  for (const e of dkim) {
    const d = dkimDomain(e);
    if (e.value === 'pass' && d && provider.has(orgDomain(d))) return { verdict: 'pass', method: 'authentication-results', domain: d, reason: `${authserv}: dkim=pass for ${d}` };
  }
  for (const e of dmarc) {
    const from = e.header?.from?.toLowerCase();
    if (e.value === 'pass' && from && provider.has(orgDomain(from))) return { verdict: 'pass', method: 'authentication-results', domain: from, reason: `${authserv}: dmarc=pass for ${from}` };
  }
  if (dkim.length === 0 && dmarc.length === 0) return undefined;
  const said = [...dkim.map((e) => `dkim=${e.value ?? '?'}${dkimDomain(e) ? ` (${dkimDomain(e)})` : ''}`), ...dmarc.map((e) => `dmarc=${e.value ?? '?'}`)].join(', ');
  const temp = [...dkim, ...dmarc].some((e) => e.value === 'temperror');
  return { verdict: temp ? 'temperror' : 'fail', method: 'authentication-results', reason: `${authserv}: ${said}; none passes for ${[...provider].join(', ')}` };
}

/**
 * Decides whether a notice comes from its provider: a DKIM signature valid for a domain aligned
 * with the provider's sender domains (same organisational domain), or a dkim/dmarc pass in the
 * topmost Authentication-Results of a trusted MTA. Never throws: a check that cannot finish is a
 * temperror (not authenticated).
 */
export async function verifyAuthenticity(raw: Buffer, providerSenders: readonly string[], options: AuthenticityOptions): Promise<Authenticity> {
  const provider = new Set(providerSenders.map(orgDomain).filter(Boolean));
  if (provider.size === 0) return { verdict: 'none', method: 'none', reason: 'the provider has no sender domain to authenticate against' };
  const headers = headerBlock(raw);
  if (headers.length > MAX_VERIFIED_HEADER_BYTES) {
    return { verdict: 'none', method: 'none', reason: `header block of ${headers.length} bytes is over ${MAX_VERIFIED_HEADER_BYTES}: not verified` };
  }
  const trusted = new Set(options.trustedAuthservIds.map((s) => s.trim().toLowerCase()).filter(Boolean));
  if (trusted.size > 0) {
    const line = topmostAuthenticationResults(headers);
    const said = line ? fromAuthenticationResults(line, trusted, provider) : undefined;
    if (said) return said;
  }
  if (!options.verifyDkim) return { verdict: 'none', method: 'none', reason: 'DKIM verification is off and no trusted Authentication-Results header says anything' };
  // What dkimVerify would answer, without it reading and hashing the whole mail on the
  // parser's main thread (bench:e2e: every parsed notice of an unsigned mail paid for it).
  if (!/(?:^|\n)dkim-signature[ \t]*:/i.test(headers.toString('latin1'))) return { verdict: 'none', method: 'none', reason: 'no DKIM signature' };
  try {
    const { results } = await dkimVerify(raw, {
      resolver: options.resolver ?? systemResolver(),
      ...(options.now ? { curTime: options.now() } : {}),
    });
    const signed = results.filter((r) => r.status.result !== 'none');
    if (signed.length === 0) return { verdict: 'none', method: 'none', reason: 'no DKIM signature' };
    const good = signed.find((r) => r.status.result === 'pass' && provider.has(orgDomain(r.signingDomain)));
    if (good) return { verdict: 'pass', method: 'dkim', domain: good.signingDomain.toLowerCase(), reason: `dkim=pass d=${good.signingDomain}${good.selector ? ` s=${good.selector}` : ''}` };
    const list = signed.map((r) => `d=${r.signingDomain} ${r.status.result}${r.status.comment ? ` (${r.status.comment})` : ''}`).join('; ');
    if (signed.some((r) => r.status.result === 'temperror' || r.status.result === 'temperr')) {
      return { verdict: 'temperror', method: 'dkim', reason: `DKIM not verifiable now: ${list}`.slice(0, 1024) };
    }
    return { verdict: 'fail', method: 'dkim', reason: `no valid DKIM signature for ${[...provider].join(', ')}: ${list}`.slice(0, 1024) };
  } catch (err) {
    return { verdict: 'temperror', method: 'dkim', reason: `DKIM check failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 1024) };
  }
}

interface Cached {
  until: number;
  value?: string[][] | string[];
  error?: NodeJS.ErrnoException;
}

/**
 * The system resolver for DKIM key lookups, with a timeout and a small TTL cache (answers and
 * NXDOMAIN/NODATA for 10 minutes, other failures for 30 s): every notice of a provider is
 * signed with the same few selectors. Node's resolver has no cache of its own.
 */
export function cachingResolver(options: { servers?: readonly string[]; timeoutMs?: number; ttlMs?: number; max?: number } = {}): DNSResolver {
  const resolver = new dns.Resolver({ timeout: options.timeoutMs ?? 2000, tries: 2 });
  if (options.servers?.length) resolver.setServers([...options.servers]);
  const ttl = options.ttlMs ?? 600_000;
  const max = options.max ?? 10_000;
  const cache = new Map<string, Cached>();
  return async (domain: string, rrtype: string) => {
    const key = `${rrtype} ${domain.toLowerCase()}`;
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) {
      if (hit.error || !hit.value) throw hit.error;
      return hit.value;
    }
    const oldest = cache.size >= max ? cache.keys().next().value : undefined;
    if (oldest !== undefined) cache.delete(oldest);
    try {
      const value = (await resolver.resolve(domain, rrtype)) as string[][] | string[];
      cache.set(key, { until: now + ttl, value });
      return value;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const permanent = e.code === 'ENOTFOUND' || e.code === 'ENODATA';
      cache.set(key, { until: now + (permanent ? ttl : 30_000), error: e });
      throw e;
    }
  };
}

let shared: DNSResolver | undefined;
function systemResolver(): DNSResolver {
  return (shared ??= cachingResolver());
}
