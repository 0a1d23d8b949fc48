import { signWebhook, WebhookVerifier } from './webhook-verifier';

// The spec's test vectors (junos-netconf.md §2.2, §2.3), computed there with Python's hmac.
const BODY = Buffer.from(
  '{"event": "SNMP_TRAP_LINK_DOWN", "process": "mib2d", "message": "ifIndex 526, ifAdminStatus up(1), ifOperStatus down(2), ifName xe-0/0/1", "hostname": "sim1", "detail": ""}',
);
const LEGACY_SIG = 'c1c009a0d7a54d755a0a123630143d3dc97cbaf1f5c6f54a2d765875a0c62315';
const TS = 1767225600;
const TS_SIG = 'a4aa856b4a98c3ad5f713b0760b2ed66afde7381d146faf06c989e6787a202ef';

const verifier = (o: Partial<ConstructorParameters<typeof WebhookVerifier>[0]> = {}) =>
  new WebhookVerifier({ secrets: ['s3cr3t'], windowSeconds: 300, acceptLegacy: false, ...o });

describe(WebhookVerifier.name, () => {
  it('signs the spec test vectors the way the Python agent does', () => {
    expect(signWebhook('s3cr3t', BODY)).toBe(LEGACY_SIG);
    expect(signWebhook('s3cr3t', BODY, TS)).toBe(TS_SIG);
  });

  it('accepts the timestamped vector within the window, in upper-case hex too', () => {
    expect(verifier().verify(TS_SIG, String(TS), BODY, TS + 299)).toMatchObject({ ok: true, scheme: 'timestamped', timestamp: TS });
    expect(verifier().verify(TS_SIG.toUpperCase(), String(TS), BODY, TS - 299)).toMatchObject({ ok: true });
  });

  it('refuses a stale or future timestamp', () => {
    expect(verifier().verify(TS_SIG, String(TS), BODY, TS + 301)).toEqual({ ok: false, reason: 'stale' });
    expect(verifier().verify(TS_SIG, String(TS), BODY, TS - 301)).toEqual({ ok: false, reason: 'stale' });
  });

  it('refuses a replay of an accepted signature', () => {
    const v = verifier();
    expect(v.verify(TS_SIG, String(TS), BODY, TS).ok).toBe(true);
    expect(v.verify(TS_SIG, String(TS), BODY, TS + 10)).toEqual({ ok: false, reason: 'replayed' });
    expect(v.verify(TS_SIG.toUpperCase(), String(TS), BODY, TS + 10)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('lets a signature through again after forget (the event could not be stored)', () => {
    const v = verifier();
    expect(v.verify(TS_SIG, String(TS), BODY, TS).ok).toBe(true);
    v.forget(TS_SIG);
    expect(v.verify(TS_SIG, String(TS), BODY, TS).ok).toBe(true);
  });

  it('refuses a tampered body, a wrong secret and a signature over another timestamp', () => {
    const tampered = Buffer.from(BODY.toString().replace('xe-0/0/1', 'xe-0/0/2'));
    expect(verifier().verify(TS_SIG, String(TS), tampered, TS)).toEqual({ ok: false, reason: 'forged' });
    expect(verifier({ secrets: ['other-secret'] }).verify(TS_SIG, String(TS), BODY, TS)).toEqual({ ok: false, reason: 'forged' });
    expect(verifier().verify(TS_SIG, String(TS + 1), BODY, TS)).toEqual({ ok: false, reason: 'forged' });
  });

  it('checks the hex before decoding it (Buffer.from would truncate at the first bad pair)', () => {
    const v = verifier();
    expect(v.verify(TS_SIG.slice(0, 62) + 'zz', String(TS), BODY, TS)).toEqual({ ok: false, reason: 'invalid-hex' });
    expect(v.verify(TS_SIG.slice(0, 63), String(TS), BODY, TS)).toEqual({ ok: false, reason: 'invalid-hex' });
    expect(v.verify(`${TS_SIG}00`, String(TS), BODY, TS)).toEqual({ ok: false, reason: 'invalid-hex' });
    expect(v.verify(undefined, String(TS), BODY, TS)).toEqual({ ok: false, reason: 'missing-signature' });
    expect(v.verify(TS_SIG, '17672256OO', BODY, TS)).toEqual({ ok: false, reason: 'bad-timestamp' });
  });

  it('accepts any configured secret (rotation)', () => {
    const v = verifier({ secrets: ['new-secret-2027', 's3cr3t'] });
    expect(v.verify(TS_SIG, String(TS), BODY, TS).ok).toBe(true);
    const next = signWebhook('new-secret-2027', BODY, TS + 1);
    expect(v.verify(next, String(TS + 1), BODY, TS).ok).toBe(true);
  });

  it('accepts the seed agent body-only signature only when legacy is on', () => {
    expect(verifier().verify(LEGACY_SIG, undefined, BODY, TS)).toEqual({ ok: false, reason: 'bad-timestamp' });
    const v = verifier({ acceptLegacy: true });
    expect(v.verify(LEGACY_SIG, undefined, BODY, TS)).toMatchObject({ ok: true, scheme: 'legacy' });
    expect(v.verify(LEGACY_SIG, undefined, BODY, TS + 1)).toEqual({ ok: false, reason: 'replayed' });
  });
});
