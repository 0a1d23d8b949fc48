import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ParserError,
  builtInRegistry,
  parseMail,
  type DataPart,
  type ParserContext,
  type PartialMaintenance,
} from '../index';
import { icalParser } from './ical';

const registry = builtInRegistry();
const fixtures = join(__dirname, '..', '..', 'fixtures');

/** Runs the parser on one calendar text, as the engine would for a mail holding only it. */
function parse(ics: string, extra: DataPart[] = []): PartialMaintenance[] {
  const part: DataPart = { type: 'ical', content: ics };
  const ctx: ParserContext = {
    provider: registry.get('genericprovider')!,
    notification: { parts: [...extra, part], warnings: [] },
  };
  return icalParser.parse(part, ctx);
}

/** A one-event BCOP calendar; `event` lines replace the defaults of the same property name. */
function calendar(event: string[], { head = [] as string[], events = 1 } = {}): string {
  const defaults = [
    'DTSTART:20240610T220000Z',
    'DTEND:20240611T020000Z',
    'DTSTAMP:20240601T120000Z',
    'UID:maint-1@carrier.example',
    'SEQUENCE:2',
    'SUMMARY:Planned work',
    'ORGANIZER;CN="Carrier NOC":mailto:noc@carrier.example',
    'X-MAINTNOTE-PROVIDER:carrier.example',
    'X-MAINTNOTE-ACCOUNT:ACCT-7',
    'X-MAINTNOTE-MAINTENANCE-ID:MW-100',
    'X-MAINTNOTE-OBJECT-ID:CKT-1',
    'X-MAINTNOTE-IMPACT:NO-IMPACT',
    'X-MAINTNOTE-STATUS:CONFIRMED',
  ];
  const name = (line: string) => line.split(/[;:]/, 1)[0];
  const overridden = new Set(event.map(name));
  const lines = [...defaults.filter((l) => !overridden.has(name(l))), ...event.filter((l) => !l.endsWith(':-'))];
  const vevent = ['BEGIN:VEVENT', ...lines, 'END:VEVENT'];
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//EN', ...head, ...Array(events).fill(vevent).flat(), 'END:VCALENDAR'].join('\r\n');
}

const utc = (iso: string) => Date.parse(iso) / 1000;

const EU_VTIMEZONE = (tzid: string) => [
  'BEGIN:VTIMEZONE',
  `TZID:${tzid}`,
  'BEGIN:STANDARD',
  'DTSTART:16011028T030000',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010325T020000',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
];

describe('icalParser - BCOP fields', () => {
  it('reads every field of a BCOP VEVENT', () => {
    expect(parse(calendar([]))).toEqual([
      {
        provider: 'carrier.example',
        account: 'ACCT-7',
        maintenance_id: 'MW-100',
        circuits: [{ circuit_id: 'CKT-1', impact: 'NO-IMPACT' }],
        status: 'CONFIRMED',
        start: utc('2024-06-10T22:00:00Z'),
        end: utc('2024-06-11T02:00:00Z'),
        stamp: utc('2024-06-01T12:00:00Z'),
        organizer: 'mailto:noc@carrier.example',
        uid: 'maint-1@carrier.example',
        sequence: 2,
        summary: 'Planned work',
      },
    ]);
  });

  it('gives one maintenance per VEVENT, in order', () => {
    const second = calendar(['X-MAINTNOTE-MAINTENANCE-ID:MW-101', 'DTSTART:20240617T220000Z', 'DTEND:20240618T020000Z']);
    const both = calendar([]).replace('END:VCALENDAR', second.slice(second.indexOf('BEGIN:VEVENT')));
    const records = parse(both);
    expect(records.map((r) => [r.maintenance_id, r.start])).toEqual([
      ['MW-100', utc('2024-06-10T22:00:00Z')],
      ['MW-101', utc('2024-06-17T22:00:00Z')],
    ]);
  });

  it('treats a missing or unknown X-MAINTNOTE-IMPACT as OUTAGE (the standard), per-object impact wins', () => {
    expect(parse(calendar(['X-MAINTNOTE-IMPACT:-']))[0].circuits).toEqual([{ circuit_id: 'CKT-1', impact: 'OUTAGE' }]);
    expect(parse(calendar(['X-MAINTNOTE-IMPACT:X-PARTIAL-BLACKOUT']))[0].circuits).toEqual([{ circuit_id: 'CKT-1', impact: 'OUTAGE' }]);
    const records = parse(
      calendar([
        'X-MAINTNOTE-IMPACT:degraded',
        'X-MAINTNOTE-OBJECT-ID:CKT-1',
        'X-MAINTNOTE-OBJECT-ID;X-MAINTNOTE-OBJECT-IMPACT=REDUCED-REDUNDANCY:CKT-2',
        'X-MAINTNOTE-OBJECT-ID;X-MAINTNOTE-OBJECT-IMPACT=SOMETHING-NEW:CKT-3',
      ]),
    );
    expect(records[0].circuits).toEqual([
      { circuit_id: 'CKT-1', impact: 'DEGRADED' },
      { circuit_id: 'CKT-2', impact: 'REDUCED-REDUNDANCY' },
      { circuit_id: 'CKT-3', impact: 'OUTAGE' },
    ]);
  });

  it('takes the maintenance id marked X-MAINTNOTE-PRECEDENCE=PRIMARY, else the first', () => {
    const ids = [
      'X-MAINTNOTE-MAINTENANCE-ID;X-MAINTNOTE-PRECEDENCE=NON-PRIMARY:EXT-9',
      'X-MAINTNOTE-MAINTENANCE-ID;X-MAINTNOTE-PRECEDENCE=PRIMARY:WO-31415',
      'X-MAINTNOTE-MAINTENANCE-ID:TRIGGER-2',
    ];
    expect(parse(calendar(ids))[0].maintenance_id).toBe('WO-31415');
    expect(parse(calendar(['X-MAINTNOTE-MAINTENANCE-ID:EXT-9', 'X-MAINTNOTE-MAINTENANCE-ID:TRIGGER-2']))[0].maintenance_id).toBe('EXT-9');
  });

  it('reads status leniently: blanks, case, US spelling; NO-CHANGE when absent; METHOD:CANCEL cancels', () => {
    expect(parse(calendar(['X-MAINTNOTE-STATUS: completed ']))[0].status).toBe('COMPLETED');
    expect(parse(calendar(['X-MAINTNOTE-STATUS:CANCELED']))[0].status).toBe('CANCELLED');
    expect(parse(calendar(['X-MAINTNOTE-STATUS:In Progress']))[0].status).toBe('IN-PROCESS');
    expect(parse(calendar(['X-MAINTNOTE-STATUS:-']))[0].status).toBe('NO-CHANGE');
    expect(parse(calendar(['X-MAINTNOTE-STATUS:-'], { head: ['METHOD:CANCEL'] }))[0].status).toBe('CANCELLED');
    expect(() => parse(calendar(['X-MAINTNOTE-STATUS:MAYBE-LATER']))).toThrow('unknown X-MAINTNOTE-STATUS "MAYBE-LATER"');
  });

  it('uses -1 for a missing SEQUENCE, leaves absent UID / ORGANIZER / SUMMARY to the provider defaults', () => {
    const [record] = parse(calendar(['SEQUENCE:-', 'UID:-', 'ORGANIZER:-', 'SUMMARY:-', 'X-MAINTNOTE-PROVIDER:-']));
    expect(record.sequence).toBe(-1);
    expect(record).not.toHaveProperty('uid');
    expect(record).not.toHaveProperty('organizer');
    expect(record).not.toHaveProperty('summary');
    expect(record).not.toHaveProperty('provider');
  });

  it('undoes TEXT escapes in X-MAINTNOTE values and keeps free text as written', () => {
    const [record] = parse(calendar(['X-MAINTNOTE-ACCOUNT:Acme\\, Inc.', 'SUMMARY: Work on A\\;B ', 'X-MAINTNOTE-PROVIDER:Carrier ']));
    expect(record.account).toBe('Acme, Inc.');
    expect(record.summary).toBe(' Work on A;B ');
    expect(record.provider).toBe('Carrier ');
  });

  it('derives the end from DURATION, or the whole day of an all-day event', () => {
    expect(parse(calendar(['DTEND:-', 'DURATION:PT4H30M']))[0].end).toBe(utc('2024-06-11T02:30:00Z'));
    const [allDay] = parse(calendar(['DTSTART;VALUE=DATE:20240610', 'DTEND:-']));
    expect([allDay.start, allDay.end]).toEqual([utc('2024-06-10T00:00:00Z'), utc('2024-06-11T00:00:00Z')]);
  });

  it('falls back to the mail Date header when DTSTAMP is missing', () => {
    const date: DataPart = { type: 'email-header-date', content: 'Sat, 1 Jun 2024 14:00:00 +0200' };
    expect(parse(calendar(['DTSTAMP:-']), [date])[0].stamp).toBe(utc('2024-06-01T12:00:00Z'));
    expect(() => parse(calendar(['DTSTAMP:-']))).toThrow('no DTSTAMP');
  });

  it('skips lines that are no content lines, as unfolded DESCRIPTION text from some generators', () => {
    const ics = calendar(['DESCRIPTION:Work in two windows (contain', 'ing primary and backup).', 'X-MAINTNOTE-OBJECT-ID;SR=SR1:LINK A:B-', 'ELE']);
    expect(parse(ics)[0].circuits).toEqual([{ circuit_id: 'LINK A:B-', impact: 'NO-IMPACT' }]);
  });

  it('ignores mail text around the calendar', () => {
    const ics = `Calendar follows:\r\n${calendar([])}\r\nNote: generated by the NOC portal\r\n`;
    expect(parse(ics)[0].maintenance_id).toBe('MW-100');
  });

  it('reads a calendar left base64-encoded, and ignores the second copy of the same calendar', () => {
    const ics = calendar([]);
    expect(parse(Buffer.from(ics).toString('base64'))[0].maintenance_id).toBe('MW-100');
    expect(parse(ics, [{ type: 'ical', content: ics }])).toEqual([]);
  });
});

describe('icalParser - time zones', () => {
  it('resolves a Windows TZID without VTIMEZONE, DST included', () => {
    const summer = parse(calendar(['DTSTART;TZID="Eastern Standard Time":20240710T230000', 'DTEND;TZID=Eastern Standard Time:20240711T030000']));
    expect([summer[0].start, summer[0].end]).toEqual([utc('2024-07-11T03:00:00Z'), utc('2024-07-11T07:00:00Z')]);
    const winter = parse(calendar(['DTSTART;TZID=W. Europe Standard Time:20240110T230000', 'DTEND;TZID=W. Europe Standard Time:20240111T030000']));
    expect([winter[0].start, winter[0].end]).toEqual([utc('2024-01-10T22:00:00Z'), utc('2024-01-11T02:00:00Z')]);
  });

  it('resolves abbreviations and region names ("ET", "Eastern", "CET") to the DST-aware zone', () => {
    const et = parse(calendar(['DTSTART;TZID=ET:20240710T230000', 'DTEND;TZID=Eastern:20240711T030000']))[0];
    expect([et.start, et.end]).toEqual([utc('2024-07-11T03:00:00Z'), utc('2024-07-11T07:00:00Z')]);
    const cet = parse(calendar(['DTSTART;TZID=CET:20240710T230000', 'DTEND;TZID=CET:20240711T030000']))[0];
    expect([cet.start, cet.end]).toEqual([utc('2024-07-10T21:00:00Z'), utc('2024-07-11T01:00:00Z')]);
  });

  it('uses the calendar VTIMEZONE for a TZID that is no zone name, across a DST change', () => {
    const ics = calendar(['DTSTART;TZID=Customized Time Zone:20250330T010000', 'DTEND;TZID=Customized Time Zone:20250330T050000'], {
      head: EU_VTIMEZONE('Customized Time Zone'),
    });
    const [record] = parse(ics);
    expect([record.start, record.end]).toEqual([utc('2025-03-30T00:00:00Z'), utc('2025-03-30T03:00:00Z')]);
  });

  it('prefers the VTIMEZONE over a display name or abbreviation it defines', () => {
    const tzid = '(UTC+01:00) Brussels, Copenhagen, Madrid, Paris';
    const [record] = parse(calendar([`DTSTART;TZID="${tzid}":20240710T230000`, `DTEND;TZID="${tzid}":20240711T030000`], { head: EU_VTIMEZONE(tzid) }));
    expect(record.start).toBe(utc('2024-07-10T21:00:00Z'));
  });

  it('ignores a VTIMEZONE whose rules would take ical.js minutes to expand', () => {
    const hostile = EU_VTIMEZONE('Eastern').map((l) => (l.startsWith('RRULE') ? 'RRULE:FREQ=SECONDLY' : l));
    const started = Date.now();
    const [record] = parse(calendar(['DTSTART;TZID=Eastern:20240710T230000'], { head: hostile }));
    expect(record.start).toBe(utc('2024-07-11T03:00:00Z'));
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reads floating times in X-WR-TIMEZONE, else as UTC', () => {
    expect(parse(calendar(['DTSTART:20240710T230000']))[0].start).toBe(utc('2024-07-10T23:00:00Z'));
    const wr = parse(calendar(['DTSTART:20240710T230000', 'DTEND:20240711T030000'], { head: ['X-WR-TIMEZONE:Asia/Tokyo'] }));
    expect(wr[0].start).toBe(utc('2024-07-10T14:00:00Z'));
  });

  it('rejects an unknown TZID with the reason', () => {
    expect(() => parse(calendar(['DTSTART;TZID=Mars/Olympus_Mons:20240710T230000']))).toThrow(
      'DTSTART: unknown TZID "Mars/Olympus_Mons"',
    );
  });
});

describe('icalParser - broken input is a ParserError with the reason', () => {
  const cases: [string, string, string][] = [
    ['no calendar at all', 'Dear customer, please find the details below.', 'no BEGIN:VCALENDAR'],
    ['a truncated calendar', calendar([]).slice(0, 200), 'no END:VCALENDAR'],
    ['unbalanced components', calendar([]).replace('END:VEVENT\r\n', ''), 'malformed iCalendar'],
    ['a calendar without events', 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR', 'iCalendar has no VEVENT'],
    [
      'an ordinary meeting invitation',
      'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20240101T100000Z\r\nSUMMARY:Lunch\r\nEND:VEVENT\r\nEND:VCALENDAR',
      'not a BCOP maintenance calendar',
    ],
    ['a garbled DTSTART', calendar(['DTSTART:2024-13-45 25:00']), 'VEVENT 1 (UID maint-1@carrier.example): DTSTART'],
    ['no DTSTART', calendar(['DTSTART:-']), 'no DTSTART'],
    ['no DTEND or DURATION', calendar(['DTEND:-']), 'no DTEND or DURATION'],
    ['no account', calendar(['X-MAINTNOTE-ACCOUNT:-']), 'no X-MAINTNOTE-ACCOUNT'],
    ['no maintenance id', calendar(['X-MAINTNOTE-MAINTENANCE-ID:-']), 'no X-MAINTNOTE-MAINTENANCE-ID'],
    ['a SEQUENCE that is no number', calendar(['SEQUENCE:two']), 'SEQUENCE'],
  ];
  it.each(cases)('%s', (_, ics, reason) => {
    let thrown: unknown;
    try {
      parse(ics);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ParserError);
    expect((thrown as Error).message).toContain(reason);
  });
});

// Variation: the same notice with other ids, circuits and dates must give the new values,
// which shows the parser reads the format, not the fixture.
describe('icalParser - fixture variations', () => {
  const variations: { type: string; file: string; replace: [string, string][]; expect: Record<string, unknown>[] }[] = [
    {
      type: 'ntt',
      file: 'scheduled.eml',
      replace: [
        ['VNOC-1-31400027182', 'VNOC-1-27182818284'],
        ['201945', '440011'],
        ['318822', '552200'],
        ['20241015T040000Z', '20250203T013000Z'],
        ['20241015T080000Z', '20250203T053000Z'],
      ],
      expect: [
        {
          maintenance_id: 'VNOC-1-27182818284',
          circuits: [
            { circuit_id: '440011', impact: 'OUTAGE' },
            { circuit_id: '552200', impact: 'NO-IMPACT' },
          ],
          start: utc('2025-02-03T01:30:00Z'),
          end: utc('2025-02-03T05:30:00Z'),
        },
      ],
    },
    {
      type: 'packetfabric',
      file: 'two-windows.eml',
      replace: [
        ['CHG0041873', 'CHG0052210'],
        ['PF-AP-LAX1-884213', 'PF-AP-SJC1-100200'],
        ['20241106T220000', '20250707T220000'],
        ['20241107T020000', '20250708T020000'],
      ],
      expect: [
        {
          maintenance_id: 'CHG0052210-1',
          circuits: [
            { circuit_id: 'PF-AP-SJC1-100200', impact: 'OUTAGE' },
            { circuit_id: 'PF-VC-LAX1-NYC2-3029', impact: 'OUTAGE' },
          ],
          // July: PDT, UTC-7
          start: utc('2025-07-08T05:00:00Z'),
          end: utc('2025-07-08T09:00:00Z'),
        },
        { maintenance_id: 'CHG0052210-2', start: utc('2024-11-14T06:00:00Z') },
      ],
    },
    {
      type: 'eunetworks',
      file: 'planned-work.eml',
      replace: [
        ['04417730', '05123987'],
        ['EUN-WAV-100234', 'EUN-WAV-777001'],
        ['20241119T220000Z', '20250301T230000Z'],
        ['20241120T040000Z', '20250302T050000Z'],
      ],
      expect: [
        {
          maintenance_id: '05123987',
          uid: '05123987@euNetworks.com',
          circuits: [
            { circuit_id: 'EUN-WAV-777001', impact: 'OUTAGE' },
            { circuit_id: 'EUN-ETH-200871', impact: 'OUTAGE' },
          ],
          start: utc('2025-03-01T23:00:00Z'),
          end: utc('2025-03-02T05:00:00Z'),
        },
      ],
    },
    {
      type: 'arelion',
      file: 'planned-work.eml',
      replace: [
        ['PWIC204518', 'PWIC310077'],
        ['IC-338120', 'IC-900001'],
        ['IC-338121', 'IC-900002'],
        ['20250114T230000Z', '20250422T210000Z'],
        ['20250115T050000Z', '20250423T030000Z'],
      ],
      expect: [
        {
          maintenance_id: 'PWIC310077.1',
          circuits: [
            { circuit_id: 'IC-900001', impact: 'OUTAGE' },
            { circuit_id: 'IC-900002', impact: 'OUTAGE' },
          ],
          start: utc('2025-04-22T21:00:00Z'),
          end: utc('2025-04-23T03:00:00Z'),
        },
      ],
    },
    {
      type: 'genericprovider',
      file: 'outlook-invite.eml',
      replace: [
        ['NLF-CM-2025-0412', 'NLF-CM-2025-1107'],
        ['NLF-L2-40117', 'NLF-L2-51234'],
        ['20250330T010000', '20251026T010000'],
        ['20250330T050000', '20251026T050000'],
      ],
      expect: [
        {
          maintenance_id: 'NLF-CM-2025-1107',
          circuits: [
            { circuit_id: 'NLF-L2-51234', impact: 'DEGRADED' },
            { circuit_id: 'NLF-L2-40118', impact: 'NO-IMPACT' },
          ],
          // clocks go back at 03:00 CEST: 01:00 CEST .. 05:00 CET
          start: utc('2025-10-25T23:00:00Z'),
          end: utc('2025-10-26T04:00:00Z'),
        },
      ],
    },
  ];

  it.each(variations)('$type - $file', async ({ type, file, replace, expect: expected }) => {
    let mail = readFileSync(join(fixtures, type, file), 'utf8');
    for (const [from, to] of replace) {
      expect(mail).toContain(from);
      mail = mail.split(from).join(to);
    }
    const outcome = await parseMail(mail, { registry, providerHint: type });
    if (outcome.kind !== 'parsed') throw new Error(JSON.stringify(outcome));
    expect(outcome.providerType).toBe(type);
    expect(outcome.maintenances).toHaveLength(expected.length);
    expected.forEach((fields, i) => expect(outcome.maintenances[i]).toMatchObject(fields));
  });

  it('selects the generic BCOP provider for an unknown sender with a BCOP calendar', async () => {
    const outcome = await parseMail(readFileSync(join(fixtures, 'genericprovider', 'outlook-invite.eml')), { registry });
    expect(outcome).toMatchObject({ kind: 'parsed', providerType: 'genericprovider' });
  });
});
