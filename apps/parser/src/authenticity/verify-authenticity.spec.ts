import { generateKeyPairSync } from 'node:crypto';
import { dkimSign, type DNSResolver } from 'mailauth';
import { MAX_VERIFIED_HEADER_BYTES, orgDomain, verifyAuthenticity } from './verify-authenticity';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

/** DNS as the providers publish it: the selector's key under <selector>._domainkey.<domain>. */
const keys = new Map<string, string>([
  ['s1._domainkey.zayo.com', `v=DKIM1; k=rsa; p=${p}`],
  ['s1._domainkey.mail.zayo.com', `v=DKIM1; k=rsa; p=${p}`],
  ['s1._domainkey.evil.example', `v=DKIM1; k=rsa; p=${p}`],
]);
const lookups: string[] = [];
const resolver: DNSResolver = async (name, type) => {
  lookups.push(`${type} ${name}`);
  const txt = type === 'TXT' ? keys.get(name) : undefined;
  if (!txt) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return [[txt]];
};
const zayo = ['mr@zayo.com', 'zayo.com'];
const opts = { verifyDkim: true, trustedAuthservIds: [] as string[], resolver };

const mail = (extraHeaders = '', body = 'Zayo Maintenance Notification\r\nTicket TTN-0001234567\r\n') =>
  Buffer.from(
    `${extraHeaders}From: Zayo MR <mr@zayo.com>\r\nTo: noc@example.net\r\nSubject: START MAINTENANCE NOTIFICATION***TTN-0001234567***\r\n` +
      `Date: Mon, 07 Dec 2026 00:00:00 +0000\r\nMessage-ID: <a1@zayo.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}`,
  );

async function signed(domain: string, message = mail()): Promise<Buffer> {
  const { signatures, errors } = await dkimSign(message, { signatureData: [{ signingDomain: domain, selector: 's1', privateKey: pem, canonicalization: 'relaxed/relaxed' }] } as unknown as Parameters<typeof dkimSign>[1]);
  expect(errors).toEqual([]);
  return Buffer.concat([Buffer.from(signatures), message]);
}

describe('verifyAuthenticity', () => {
  it('passes a notice signed by the provider\'s domain, or a subdomain of it', async () => {
    await expect(verifyAuthenticity(await signed('zayo.com'), zayo, opts)).resolves.toMatchObject({ verdict: 'pass', method: 'dkim', domain: 'zayo.com' });
    await expect(verifyAuthenticity(await signed('mail.zayo.com'), zayo, opts)).resolves.toMatchObject({ verdict: 'pass', domain: 'mail.zayo.com' });
  });

  it('fails a valid signature of another domain, and a body altered after signing', async () => {
    const other = await verifyAuthenticity(await signed('evil.example'), zayo, opts);
    expect(other).toMatchObject({ verdict: 'fail', method: 'dkim' });
    expect(other.reason).toContain('d=evil.example pass');
    const altered = Buffer.from((await signed('zayo.com')).toString().replace('TTN-0001234567\r\n', 'TTN-0009999999\r\n'));
    const verdict = await verifyAuthenticity(altered, zayo, opts);
    expect(verdict).toMatchObject({ verdict: 'fail', method: 'dkim' });
    expect(verdict.reason).toMatch(/d=zayo\.com (fail|neutral)/);
  });

  it('says none for an unsigned notice and temperror when the key cannot be looked up', async () => {
    await expect(verifyAuthenticity(mail(), zayo, opts)).resolves.toEqual({ verdict: 'none', method: 'none', reason: 'no DKIM signature' });
    const down: DNSResolver = async () => {
      throw Object.assign(new Error('queryTxt ETIMEOUT'), { code: 'ETIMEOUT' });
    };
    await expect(verifyAuthenticity(await signed('zayo.com'), zayo, { ...opts, resolver: down })).resolves.toMatchObject({ verdict: 'temperror', method: 'dkim' });
  });

  it('believes the topmost Authentication-Results of a trusted MTA only', async () => {
    const ar = (id: string, res: string) => `Authentication-Results: ${id};\r\n  dkim=${res} header.d=zayo.com header.s=s1 header.b=AbCd;\r\n  spf=pass smtp.mailfrom=mr@zayo.com\r\n`;
    const trusted = { ...opts, trustedAuthservIds: ['mx.example.net'] };
    await expect(verifyAuthenticity(mail(ar('mx.example.net', 'pass')), zayo, trusted)).resolves.toMatchObject({ verdict: 'pass', method: 'authentication-results', domain: 'zayo.com' });
    // The same header from anyone else (the sender can write any header) is not believed.
    await expect(verifyAuthenticity(mail(ar('mx.attacker.example', 'pass')), zayo, trusted)).resolves.toMatchObject({ verdict: 'none' });
    // A forged "pass" below the trusted MTA's own verdict changes nothing.
    const forged = mail(ar('mx.example.net', 'fail') + ar('mx.example.net', 'pass'));
    await expect(verifyAuthenticity(forged, zayo, trusted)).resolves.toMatchObject({ verdict: 'fail', method: 'authentication-results' });
    // dmarc=pass for the provider's domain also authenticates.
    const dmarc = mail('Authentication-Results: mx.example.net; dmarc=pass (p=REJECT) header.from=zayo.com\r\n');
    await expect(verifyAuthenticity(dmarc, zayo, trusted)).resolves.toMatchObject({ verdict: 'pass', domain: 'zayo.com' });
    // Not trusted when no authserv-id is configured.
    await expect(verifyAuthenticity(mail(ar('mx.example.net', 'pass')), zayo, opts)).resolves.toMatchObject({ verdict: 'none' });
  });

  it('does not verify a hostile header block, and never throws on garbage', async () => {
    const huge = mail(`X-Junk: ${'a'.repeat(MAX_VERIFIED_HEADER_BYTES)}\r\n`);
    await expect(verifyAuthenticity(huge, zayo, opts)).resolves.toMatchObject({ verdict: 'none', reason: expect.stringContaining('not verified') });
    const garbage = Buffer.from('DKIM-Signature: v=1; a=rsa-sha256; d=zayo.com; s=s1; b=!!!; bh=???\r\n\r\n\u0000\u0001');
    const verdict = await verifyAuthenticity(garbage, zayo, opts);
    expect(['fail', 'none', 'temperror']).toContain(verdict.verdict);
  });

  it('aligns on organisational domains', () => {
    expect(orgDomain('noc@mail.zayo.com')).toBe('zayo.com');
    expect(orgDomain('group.apple.com')).toBe('apple.com');
    expect(orgDomain('maintenance@ntt.co.uk.')).toBe('ntt.co.uk');
  });
});
