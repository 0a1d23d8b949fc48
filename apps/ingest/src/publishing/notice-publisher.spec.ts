import { NoticePublisher, readHeaders, receivedAtSeconds, senderAllowed } from './notice-publisher';

describe('readHeaders', () => {
  it('headers - folded, encoded and commented headers give the Message-ID, sender, subject and date a user sees', () => {
    const raw = Buffer.from(
      [
        'From: "Doe, John" <John.Doe@Zayo.com>',
        'Subject: =?UTF-8?Q?Planned_maintenance_=E2=80=93_TTN-1?=',
        ' =?UTF-8?B?IGV4dHJh?=',
        'Message-ID:',
        ' <abc.1@zayo.com>',
        'Date: Sun, 22 Nov 2026 10:00:00 +0100',
        '',
        'From the body: not a header',
      ].join('\r\n'),
    );
    expect(readHeaders(raw)).toEqual({
      messageId: 'abc.1@zayo.com',
      sender: 'john.doe@zayo.com',
      subject: 'Planned maintenance – TTN-1 extra',
      date: new Date('2026-11-22T09:00:00Z'),
    });
  });

  it('headers - the sender comes from the configured header (mailing lists), else From', () => {
    const raw = Buffer.from('From: list@lists.example\nX-Original-Sender: noc@gtt.net\nSubject: x\n\nbody');
    expect(readHeaders(raw, 'X-Original-Sender').sender).toBe('noc@gtt.net');
    expect(readHeaders(raw, 'X-Missing').sender).toBe('list@lists.example');
    expect(readHeaders(Buffer.from('From: noc@gtt.net (GTT NOC)\n\n')).sender).toBe('noc@gtt.net');
  });

  it('headers - Latin-1 header bytes and a mail that is not MIME at all do not fail', () => {
    expect(readHeaders(Buffer.from('Subject: \xe9t\xe9\r\n\r\n', 'latin1')).subject).toBe('été');
    expect(readHeaders(Buffer.from('\xff\xfe not a mail', 'latin1'))).toEqual({});
    expect(readHeaders(Buffer.alloc(0))).toEqual({});
  });
});

describe('NoticePublisher.prepare', () => {
  const bus = {} as never;
  const mail = (bodyBytes: number) =>
    Buffer.from(`From: noc@ntt.net\r\nSubject: Big\r\nMessage-ID: <big-1@ntt.net>\r\n\r\n${'x'.repeat(bodyBytes)}\r\n`);

  it('size limit - a mail over the limit keeps its header block, its identity and its real size', async () => {
    const raw = mail(200 * 1024);
    const notice = await new NoticePublisher(bus, 100 * 1024).prepare(raw, 'noc');
    expect(notice.truncatedFrom).toBe(raw.length);
    expect(notice.raw.toString()).toBe('From: noc@ntt.net\r\nSubject: Big\r\nMessage-ID: <big-1@ntt.net>\r\n\r\n');
    expect(notice.noticeId).toBe('noc:big-1@ntt.net');
    expect(notice.headers.subject).toBe('Big');
  });

  it('size limit - a mail within the limit, or a partial fetch with its declared size over it', async () => {
    const raw = mail(10 * 1024);
    const whole = await new NoticePublisher(bus, 100 * 1024).prepare(raw, 'noc');
    expect(whole.truncatedFrom).toBeUndefined();
    expect(whole.raw.equals(raw)).toBe(true);
    const partial = await new NoticePublisher(bus, 100 * 1024).prepare(raw, 'noc', undefined, 5_000_000);
    expect(partial.truncatedFrom).toBe(5_000_000);
    expect(partial.raw.length).toBeLessThan(raw.length);
  });
});

describe(receivedAtSeconds.name, () => {
  const now = Date.UTC(2026, 11, 7, 6, 0, 0);
  it('arrival - a plausible date is kept; none, before 1970, far in the future or invalid is now', () => {
    expect(receivedAtSeconds(new Date(Date.UTC(2026, 10, 1)), now)).toBe(Date.UTC(2026, 10, 1) / 1000);
    expect(receivedAtSeconds(undefined, now)).toBe(now / 1000);
    // What a damaged backfilled Date header gives ("Date: Sat, 1 Jan 0200 ...").
    expect(receivedAtSeconds(new Date(-55_786_838_400_000), now)).toBe(now / 1000);
    expect(receivedAtSeconds(new Date(Date.UTC(9999, 0, 1)), now)).toBe(now / 1000);
    expect(receivedAtSeconds(new Date('not a date'), now)).toBe(now / 1000);
  });
});

describe('senderAllowed', () => {
  it('sender filter - addresses match exactly, domains match themselves and their subdomains; no filter lets everything through', () => {
    const filter = ['noc@gtt.net', 'zayo.com', '@lumen.com'];
    expect(senderAllowed('noc@gtt.net', filter)).toBe(true);
    expect(senderAllowed('other@gtt.net', filter)).toBe(false);
    expect(senderAllowed('mr@zayo.com', filter)).toBe(true);
    expect(senderAllowed('mr@notify.zayo.com', filter)).toBe(true);
    expect(senderAllowed('mr@notzayo.com', filter)).toBe(false);
    expect(senderAllowed('x@lumen.com', filter)).toBe(true);
    expect(senderAllowed(undefined, filter)).toBe(false);
    expect(senderAllowed(undefined, undefined)).toBe(true);
  });
});
