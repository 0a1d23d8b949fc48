import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInRegistry, parseMail, readMail, type ParseOutcome } from '../index';

const registry = builtInRegistry();
const nttMail = readFileSync(join(__dirname, '..', '..', 'fixtures', 'ntt', 'scheduled.eml'), 'utf8');
const nttIcs = nttMail.slice(nttMail.indexOf('BEGIN:VCALENDAR'), nttMail.indexOf('END:VCALENDAR') + 'END:VCALENDAR'.length);

/** A mail as a colleague's client writes it: headers, then one multipart/mixed body. */
function mail(headers: string[], parts: { headers: string[]; body: string }[]): string {
  const boundary = '=_fwd_boundary_42';
  return [
    ...headers,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    ...parts.flatMap((p) => [`--${boundary}`, ...p.headers, '', p.body]),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

const FORWARDER = ['From: Jane Ops <jane@example-isp.net>', 'To: maint@example-isp.net', 'Date: Tue, 01 Oct 2024 07:02:11 +0000'];
const ICS_PART = {
  headers: ['Content-Type: text/calendar; charset="utf-8"; name="VNOC.ics"', 'Content-Disposition: attachment; filename="VNOC.ics"'],
  body: nttIcs,
};

/** Every outcome is one of the three typed kinds, and a failure always says why. */
function expectTyped(outcome: ParseOutcome): void {
  expect(['parsed', 'unparsed', 'ignored']).toContain(outcome.kind);
  if (outcome.kind === 'unparsed') expect(outcome.reasons.length).toBeGreaterThan(0);
  if (outcome.kind === 'ignored') expect(outcome.reason).toBeTruthy();
}

describe('readMail - forwarded mail', () => {
  it('unwraps a message/rfc822 attachment: the original sender selects the provider', async () => {
    const raw = mail(['Subject: Fwd: NTT maintenance', ...FORWARDER], [
      { headers: ['Content-Type: text/plain; charset=utf-8'], body: 'FYI, see the attached notice.' },
      { headers: ['Content-Type: message/rfc822', 'Content-Disposition: attachment; filename="notice.eml"'], body: nttMail },
    ]);
    const data = await readMail(raw);
    expect(data.sender).toBe('noc@us.ntt.net');
    expect(data.forwardedBy).toBe('jane@example-isp.net');
    expect(data.subject).toContain('[VNOC-1-31400027182]');
    // the original's headers come first, so header parsers read the provider's Date and Subject
    expect(data.parts.find((p) => p.type === 'email-header-date')?.content).toBe('Mon, 30 Sep 2024 13:15:40 +0000');

    const outcome = await parseMail(raw, { registry });
    expect(outcome).toMatchObject({ kind: 'parsed', providerType: 'ntt' });
  });

  it('follows an inline Gmail forward ("---------- Forwarded message ---------" with From:)', async () => {
    const body = [
      'Please handle.',
      '',
      '---------- Forwarded message ---------',
      'From: NTT Communications Global IP Network NOC <noc@us.ntt.net>',
      'Date: Mon, 30 Sep 2024 13:15:40 +0000',
      'Subject: NTT Communications (AS2914) Maintenance Notification: Scheduled [VNOC-1-31400027182]',
      'To: <netops@example-isp.net>',
      '',
      'Dear Customer, ...',
    ].join('\r\n');
    const raw = mail(['Subject: Fwd: NTT Communications (AS2914) Maintenance Notification', ...FORWARDER], [
      { headers: ['Content-Type: text/plain; charset=utf-8'], body },
      ICS_PART,
    ]);
    const data = await readMail(raw);
    expect(data.sender).toBe('noc@us.ntt.net');
    expect(data.forwardedBy).toBe('jane@example-isp.net');
    // The forward's own subject and date stay: the quoted block's lines are rewrapped text.
    expect(data.subject).toBe('Fwd: NTT Communications (AS2914) Maintenance Notification');
    expect(data.parts.find((p) => p.type === 'email-header-from')?.content).toBe('noc@us.ntt.net');

    const outcome = await parseMail(raw, { registry });
    expect(outcome).toMatchObject({ kind: 'parsed', providerType: 'ntt' });
  });

  it('follows an inline forward in HTML only (Gmail markup, Outlook separator)', async () => {
    const gmail =
      '<div dir="ltr">fyi<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">---------- Forwarded message ---------<br>' +
      'From: <strong class="gmail_sendername" dir="auto">Arelion CSC</strong> <span dir="auto">&lt;<a href="mailto:support@arelion.com">support@arelion.com</a>&gt;</span><br>' +
      'Date: Mon, Dec 16, 2024 at 11:15 AM<br>Subject: PWIC204518.1: Planned work notification from Arelion<br></div></div></div>';
    const outlook =
      '<div><p>see below</p><hr><div id="divRplyFwdMsg"><b>From:</b> Maintenance &lt;maintenance@eunetworks.com&gt;<br>' +
      '<b>Sent:</b> Tuesday, November 5, 2024 09:45<br><b>Subject:</b> euNetworks Planned Work: 04417730</div></div>';
    const outlookText = 'see below\r\n\r\n________________________________\r\nFrom: Maintenance <maintenance@eunetworks.com>\r\nSent: Tuesday, November 5, 2024 09:45\r\n';
    for (const [html, sender] of [
      [gmail, 'support@arelion.com'],
      [outlook.replace('<hr>', '<p>________________________________</p>'), 'maintenance@eunetworks.com'],
    ]) {
      const data = await readMail(mail(['Subject: Fwd: notice', ...FORWARDER], [{ headers: ['Content-Type: text/html; charset=utf-8'], body: html }]));
      expect(data.sender).toBe(sender);
      expect(data.forwardedBy).toBe('jane@example-isp.net');
      // a forward date without a zone is not exact: the forwarder's Date header stays
      expect(data.parts.find((p) => p.type === 'email-header-date')?.content).toBe('Tue, 01 Oct 2024 07:02:11 +0000');
    }
    const data = await readMail(mail(['Subject: Fwd: notice', ...FORWARDER], [{ headers: ['Content-Type: text/plain'], body: outlookText }]));
    expect(data.sender).toBe('maintenance@eunetworks.com');
  });

  it('keeps the sender of an ordinary mail that merely quotes "From:" lines', async () => {
    const data = await readMail(
      mail(['Subject: question', ...FORWARDER], [{ headers: ['Content-Type: text/plain'], body: 'From: our side, all is ready.\r\nCheers' }]),
    );
    expect(data.sender).toBe('jane@example-isp.net');
    expect(data.forwardedBy).toBeUndefined();
    // a provider's reply quoting the customer's mail is still the provider's mail
    const reply = [
      'Hello Jane, the window is confirmed.',
      '',
      '-----Original Message-----',
      'From: Jane Ops <jane@example-isp.net>',
      'Subject: question about VNOC-1-31400027182',
    ].join('\r\n');
    const replied = await readMail(
      mail(['Subject: RE: question about VNOC-1-31400027182', 'From: noc@us.ntt.net', 'Date: Tue, 01 Oct 2024 08:00:00 +0000'], [
        { headers: ['Content-Type: text/plain'], body: reply },
      ]),
    );
    expect(replied.sender).toBe('noc@us.ntt.net');
    expect(replied.subject).toBe('RE: question about VNOC-1-31400027182');
  });
});

describe('readMail / parseMail - hostile input gives a typed outcome', () => {
  it('empty input', async () => {
    for (const raw of ['', Buffer.alloc(0)]) {
      const outcome = await parseMail(raw, { registry });
      expect(outcome).toMatchObject({ kind: 'unparsed', reasons: ['empty message'] });
    }
  });

  it('bytes that are no mail', async () => {
    const outcome = await parseMail(Buffer.from([0, 159, 146, 150, 10, 13, 0, 255, 58]), { registry, providerHint: 'ntt' });
    expect(outcome).toMatchObject({ kind: 'unparsed', reasons: ['no RFC 822 header block (not a mail)'] });
  });

  it('malformed MIME: missing closing boundary, broken headers, bogus transfer encoding', async () => {
    const broken = [
      nttMail.slice(0, nttMail.lastIndexOf('------------=_1727702140-31337-0--')),
      nttMail.replace('Content-Type: multipart/mixed; boundary="----------=_1727702140-31337-0"', 'Content-Type: multipart/mixed; boundary='),
      nttMail.replace('Content-Transfer-Encoding: 7bit\n\nBEGIN:VCALENDAR', 'Content-Transfer-Encoding: base64\n\nBEGIN:VCALENDAR'),
      nttMail.replace(/\n/g, '\n\u0000'),
      'From: noc@us.ntt.net\r\nContent-Type: multipart/mixed; boundary="a"\r\n\r\n--a\r\nContent-Type: multipart/alternative; boundary="a"\r\n\r\n--a\r\n--a--',
    ];
    for (const raw of broken) {
      const outcome = await parseMail(raw, { registry });
      expectTyped(outcome);
    }
    // the unclosed multipart still holds the whole calendar
    expect(await parseMail(broken[0], { registry })).toMatchObject({ kind: 'parsed', providerType: 'ntt' });
  });

  it('an unknown charset is a warning, and ends up in the reasons when nothing parses', async () => {
    const raw = mail(['Subject: notice', 'From: noc@us.ntt.net', 'Date: Mon, 30 Sep 2024 13:15:40 +0000'], [
      { headers: ['Content-Type: text/plain; charset=x-martian-7'], body: 'Maintenance soon.' },
      { headers: ['Content-Type: text/calendar; charset=x-martian-7'], body: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR' },
    ]);
    const data = await readMail(raw);
    expect(data.warnings.join('\n')).toContain('unknown charset "x-martian-7"');
    const outcome = await parseMail(raw, { registry });
    expect(outcome.kind).toBe('unparsed');
    if (outcome.kind === 'unparsed') expect(outcome.reasons.join('\n')).toContain('unknown charset');
  });

  it('an attachment over the part limit is skipped, named in the warnings and in the reasons when nothing parses', async () => {
    const parts = (icsBody: string) =>
      mail(['Subject: NTT maintenance', 'From: noc@us.ntt.net', 'Date: Mon, 30 Sep 2024 13:15:40 +0000'], [
        { headers: ['Content-Type: text/plain'], body: 'See the calendar.' },
        { headers: ['Content-Type: text/calendar; charset=utf-8; method=REQUEST', 'Content-Disposition: attachment; filename="big.ics"'], body: icsBody },
      ]);
    const padded = parts(nttIcs.replace('END:VCALENDAR', `X-PAD:${'x'.repeat(70 * 1024)}\r\nEND:VCALENDAR`));
    const data = await readMail(padded, { maxPartBytes: 64 * 1024 });
    expect(data.parts.some((p) => p.type === 'ical')).toBe(false);
    expect(data.warnings.join('\n')).toMatch(/attachment big\.ics of \d+ bytes is over the part limit \(65536 bytes, PARSER_MAX_PART_BYTES\): skipped/);
    const outcome = await parseMail(padded, { registry, maxPartBytes: 64 * 1024 });
    expect(outcome.kind).toBe('unparsed');
    if (outcome.kind === 'unparsed') expect(outcome.reasons.join('\n')).toContain('over the part limit');
    // Under the default limit the same notice parses.
    expect((await parseMail(padded, { registry })).kind).toBe('parsed');
  });

  it('a 25 MB mail', async () => {
    const pdf = Buffer.alloc(25 * 1024 * 1024, 0x25).toString('base64').replace(/.{76}/g, '$&\r\n');
    const big = mail(['Subject: NTT maintenance with the full report', 'From: noc@us.ntt.net', 'Date: Mon, 30 Sep 2024 13:15:40 +0000'], [
      { headers: ['Content-Type: text/plain'], body: 'See the attachments.' },
      ICS_PART,
      { headers: ['Content-Type: application/pdf; name="report.pdf"', 'Content-Transfer-Encoding: base64'], body: pdf },
    ]);
    const started = Date.now();
    expect(await parseMail(big, { registry })).toMatchObject({ kind: 'parsed', providerType: 'ntt' });
    // 25 MB of one hostile HTML line: unclosed tags and forward-marker look-alikes
    const hostile = ['From: noc@us.ntt.net', 'Subject: x', 'Content-Type: text/html', '', '<'.repeat(12e6) + '\n'.repeat(1e6) + '-'.repeat(12e6) + ' Forwarded message'].join('\r\n');
    const outcome = await parseMail(hostile, { registry });
    expectTyped(outcome);
    expect(outcome.kind).toBe('unparsed');
    // linear work only: a quadratic scan of these lines would take hours
    expect(Date.now() - started).toBeLessThan(45_000);
  });
});
