// Hand-written: no maintained library masks credentials inside free text (URLs in error messages,
// DSNs in log strings). pino's own `redact` only handles fixed object paths, so it is used for
// those and this file covers key patterns and strings.

/** What a masked secret is replaced with. */
export const MASK = '***';
/** What a redacted object field is replaced with. */
export const REDACTED = '[REDACTED]';

// Every pattern here runs in linear time on hostile text (a log line may quote 100 KB of mail):
// no lazy quantifier before a lookahead over a run, no match start inside a run it scans.
//
// `scheme://userinfo@`. Greedy up to the last '@' before the host, because passwords with an
// unencoded '@' are common in hand-written URLs. Stops at characters that cannot be in userinfo,
// including '"' and '\' so it never crosses a JSON string boundary. The scheme's length is bounded
// (real ones are short) so that "a.b.c..." — a word boundary at every letter — is not rescanned
// to its end from each of them.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{0,31}:\/\/)([^\s/?#"'<>\\]+)@/gi;
// The value ends at the next parameter, fragment or space; trailing punctuation of the sentence
// around it (".", ":", ")") is kept out of the mask (trailingPunctuation, in the replacer).
const QUERY_PARAM = /([?&;])([A-Za-z0-9_.-]+)=([^&#\s"'<>\\]*)/g;
const PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?', ')', ']']);

/** The run of sentence punctuation ending `value` (a loop: `/[.,]+$/` rescans runs quadratically). */
function trailingPunctuation(value: string): string {
  let i = value.length;
  while (i > 0 && PUNCTUATION.has(value[i - 1])) i--;
  return value.slice(i);
}
// Parameter names that carry secrets: exact names, then suffixes (access_token, apiKey,
// X-Amz-Signature, client_secret, sig, ...).
const SECRET_PARAM_EXACT = /^(code|auth|jwt|session|sessionid|sid)$/i;
const SECRET_PARAM_SUFFIX = /(token|key|secret|sig|signature|password|passwd|pwd|credential|credentials)$/i;
// `password=...` outside a query string, as in libpq key/value DSNs ("host=db password=x").
const BARE_ASSIGNMENT = /(^|[\s"'])(password|passwd|pwd|secret|token|api_?key)=([^\s"'\\]+)/gi;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/g;

/**
 * Masks credentials in any text: URL userinfo (`nats://user:***@host`, `nats://***@host` for a
 * bare token), secret query parameters (`?token=***&page=2`), `password=...` assignments and
 * `Bearer` tokens. Everything else is left as it was.
 */
export function redactUrl(text: string): string {
  return text
    .replace(URL_USERINFO, (_m, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      return `${scheme}${colon >= 0 ? `${userinfo.slice(0, colon)}:${MASK}` : MASK}@`;
    })
    .replace(QUERY_PARAM, (m, sep: string, name: string, value: string) => {
      if (!isSecretParam(name)) return m;
      const trailing = trailingPunctuation(value);
      return value.length > trailing.length ? `${sep}${name}=${MASK}${trailing}` : m;
    })
    .replace(BARE_ASSIGNMENT, (_m, before: string, name: string) => `${before}${name}=${MASK}`)
    .replace(BEARER, `$1 ${MASK}`);
}

function isSecretParam(name: string): boolean {
  return SECRET_PARAM_EXACT.test(name) || SECRET_PARAM_SUFFIX.test(name);
}

// Field names whose value is a secret, wherever they occur in a logged object: the listed names,
// and anything ending in Token / Secret / Password (accessToken, clientSecret, DATABASE_PASSWORD).
const SECRET_FIELD_EXACT =
  /^(password|passwd|pwd|token|secret|authorization|proxy-authorization|cookie|set-cookie|apikey|api_key|api-key|x-api-key|credentials)$/i;
const SECRET_FIELD_SUFFIX = /(token|secret|password)$/i;

/** True when a field with this name holds a secret and must never be logged. */
export function isSecretField(name: string): boolean {
  return SECRET_FIELD_EXACT.test(name) || SECRET_FIELD_SUFFIX.test(name);
}

const MAX_DEPTH = 8;

/**
 * Returns a copy of `value` with secret fields replaced by `[REDACTED]` at any depth of plain
 * objects and arrays. The input is never mutated; class instances (Error, Date, Buffer) are
 * returned as they are.
 */
export function redactFields<T>(value: T, depth = 0): T {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v: unknown) => redactFields(v, depth + 1)) as T;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = v !== undefined && v !== null && isSecretField(key) ? REDACTED : redactFields(v, depth + 1);
  }
  return out as T;
}
