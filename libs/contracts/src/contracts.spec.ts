import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { CONTRACTS, schemaFor, streamOf } from './contracts';
import { DeadLetter } from './deadletter';
import { DeviceAction, DeviceActionResult, DeviceEvent } from './device';
import { LifecycleEvent, lifecycleEventId } from './lifecycle';
import { Maintenance } from './maintenance';
import { LIFECYCLE_TYPES, SUBJECTS } from './names';
import {
  MaintenanceParsed,
  NoticeIgnored,
  NoticeUnparsed,
  RawNoticeMeta,
  noticeIdFor,
  rawNoticeFromHeaders,
  rawNoticeMsgId,
  rawNoticeToHeaders,
} from './notices';

const maintenance: Maintenance = {
  provider: 'zayo',
  account: 'ACME-001',
  maintenance_id: 'TTN-0001',
  circuits: [{ circuit_id: 'OGYX/100200//ZYO', impact: 'OUTAGE' }],
  status: 'CONFIRMED',
  start: 1_800_000_000,
  end: 1_800_014_400,
  stamp: 1_799_000_000,
  organizer: 'mr@zayo.com',
  uid: '0',
  sequence: 1,
  summary: 'Fiber relocation',
};

const snapshot = {
  providerType: 'zayo',
  providerName: 'Zayo',
  maintenanceId: 'TTN-0001',
  account: 'ACME-001',
  status: 'CONFIRMED' as const,
  start: 1_800_000_000,
  end: 1_800_014_400,
  summary: 'Fiber relocation',
  sequence: 1,
  stamp: 1_799_000_000,
  version: 2,
  circuits: [
    {
      providerCircuitId: 'OGYX/100200//ZYO',
      impact: 'OUTAGE' as const,
      type: 'transit' as const,
      redundancyGroup: 'fra-transit',
      verified: true,
      deviceBinding: { device: 'edge1.fra', interface: 'et-0/0/1', bgpGroup: 'TRANSIT', bgpNeighbor: '192.0.2.1' },
    },
  ],
  redundancyGroups: [{ name: 'fra-transit', allCircuitsAffected: false }],
};

// One valid payload per schema, and a damage that must be reported on the named field.
const cases: [string, z.ZodType, unknown, (v: Record<string, unknown>) => unknown, string][] = [
  ['Maintenance', Maintenance, maintenance, (v) => ({ ...v, status: 'SOON' }), 'status'],
  ['Maintenance end', Maintenance, maintenance, (v) => ({ ...v, end: v.start }), 'end'],
  ['Maintenance extra key', Maintenance, maintenance, (v) => ({ ...v, colour: 'red' }), 'colour'],
  ['Maintenance circuits', Maintenance, maintenance, (v) => ({ ...v, circuits: [] }), 'circuits'],
  [
    'MaintenanceParsed',
    MaintenanceParsed,
    { noticeId: 'imap-noc:abc@zayo.com', attempt: 1, index: 0, count: 1, providerType: 'zayo', parsers: ['zayo-html'], maintenance },
    (v) => ({ ...v, providerType: 'Zayo Inc.' }),
    'providerType',
  ],
  [
    'NoticeUnparsed',
    NoticeUnparsed,
    { noticeId: 'imap-noc:x@y', attempt: 1, providerType: 'zayo', reasons: ['no ticket id'] },
    (v) => ({ ...v, reasons: [] }),
    'reasons',
  ],
  ['NoticeIgnored', NoticeIgnored, { noticeId: 'imap-noc:x@y', attempt: 1, reason: 'newsletter' }, (v) => ({ ...v, attempt: 0 }), 'attempt'],
  [
    'LifecycleEvent',
    LifecycleEvent,
    { eventId: lifecycleEventId('zayo', 'TTN-0001', 'rescheduled', 2), type: 'rescheduled', occurredAt: 1_799_000_100, maintenance: snapshot, changes: [{ field: 'start', old: 1, new: 2 }], previousWindow: { start: 1, end: 2 } },
    (v) => ({ ...v, maintenance: { ...(v.maintenance as object), circuits: [{ providerCircuitId: 'X', impact: 'BROKEN', verified: true }] } }),
    'maintenance.circuits.0.impact',
  ],
  [
    'DeviceEvent',
    DeviceEvent,
    { eventId: 'ev-1', device: 'edge1.fra', kind: 'bgp-state', severity: 'warning', junosEvent: 'RPD_BGP_NEIGHBOR_STATE_CHANGED', priority: 2, occurredAt: 1_799_000_000, receivedAt: 1_799_000_001, message: 'peer down', attributes: { peer: '192.0.2.1' } },
    (v) => ({ ...v, kind: 'weather' }),
    'kind',
  ],
  [
    'DeviceAction',
    DeviceAction,
    { actionId: 'a-1', action: 'drain', device: 'edge1.fra', requestedBy: 'maintenance-api', requestedAt: 1_799_000_000, params: { bgpGroup: 'TRANSIT', bgpNeighbor: '192.0.2.1' }, dryRun: false },
    (v) => ({ ...v, action: 'format-disk' }),
    'action',
  ],
  [
    'DeviceActionResult',
    DeviceActionResult,
    { actionId: 'a-1', action: 'drain', device: 'edge1.fra', outcome: 'succeeded', detail: 'ok', finishedAt: 1_799_000_010, artifacts: [] },
    (v) => ({ ...v, outcome: 'maybe' }),
    'outcome',
  ],
  [
    'DeadLetter',
    DeadLetter,
    { service: 'parser', consumer: 'parser', stream: 'NOTICES', streamSeq: 4, subject: 'notice.received.v1', deliveries: 8, reason: 'x', errorName: 'PermanentError', failedAt: 1, headers: {}, payloadBase64: '', truncated: false },
    (v) => ({ ...v, streamSeq: -1 }),
    'streamSeq',
  ],
];

describe('contracts - schemas', () => {
  it.each(cases)('%s - accepts a valid payload', (_name, schema, valid) => {
    const r = schema.safeParse(valid);
    if (!r.success) throw new Error(JSON.stringify(r.error.issues));
  });

  it.each(cases)('%s - rejects damage and names the field', (_name, schema, valid, damage, field) => {
    const r = schema.safeParse(damage(structuredClone(valid) as Record<string, unknown>));
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => (i.path.length ? i.path.join('.') : ((i as { keys?: string[] }).keys ?? []).join('.')));
    expect(paths).toContain(field);
  });
});

describe('contracts - raw notice', () => {
  const meta: RawNoticeMeta = {
    noticeId: 'imap-noc:CAF=abc@mail.example.net',
    source: 'imap-noc',
    receivedAt: 1_799_000_000,
    sender: 'mr@zayo.com',
    subject: 'Wartung – geplant\r\nX-Injected: yes',
    size: 1234,
    sha256: 'a'.repeat(64),
    attempt: 1,
    correlationId: 'corr-1',
  };

  it('headers round-trip, with CR/LF in the subject flattened', () => {
    const h = new Map(rawNoticeToHeaders(meta));
    const back = rawNoticeFromHeaders((n) => h.get(n));
    expect(back).toEqual({ ...meta, subject: 'Wartung – geplant X-Injected: yes' });
  });

  it('missing headers are named', () => {
    const h = new Map(rawNoticeToHeaders(meta));
    h.delete('Maintwatch-Size');
    expect(() => rawNoticeFromHeaders((n) => h.get(n))).toThrow(/size/);
  });

  it('notice id: source + Message-ID, else the sha256 of the bytes', () => {
    expect(noticeIdFor('imap-noc', '<abc@x>', Buffer.from('m'))).toBe('imap-noc:abc@x');
    expect(noticeIdFor('imap-noc', undefined, Buffer.from('m'))).toMatch(/^imap-noc:sha256:[0-9a-f]{64}$/);
  });

  it('reprocessing gets a new message id', () => {
    expect(rawNoticeMsgId({ noticeId: 'a:b', attempt: 1 })).toBe('a:b');
    expect(rawNoticeMsgId({ noticeId: 'a:b', attempt: 2 })).toBe('a:b#2');
  });
});

describe('contracts - subjects', () => {
  it('every subject has a stream that captures it', () => {
    for (const c of CONTRACTS) for (const s of c.subjects) expect(() => streamOf(s)).not.toThrow();
    expect(streamOf(SUBJECTS.maintenanceParsed)).toBe('MAINTENANCE');
    expect(streamOf(SUBJECTS.deadLetter('parser'))).toBe('DEADLETTER');
  });

  it('every lifecycle subject resolves to the lifecycle schema', () => {
    for (const t of LIFECYCLE_TYPES) expect(schemaFor(SUBJECTS.maintenanceEvent(t))).toBe(LifecycleEvent);
    expect(schemaFor(SUBJECTS.deadLetter('notifier'))).toBe(DeadLetter);
    expect(schemaFor(SUBJECTS.noticeReceived)).toBeUndefined();
  });

  it('a payload on the wrong subject does not compile', () => {
    // Type-level check: if the map allowed this, tsc (npm run typecheck) would fail on the
    // unused @ts-expect-error.
    type Map = import('./contracts').JsonSubjects;
    // @ts-expect-error NoticeIgnored is not a MaintenanceParsed
    const wrong: Map['maintenance.parsed.v1'] = { noticeId: 'a:b', attempt: 1, reason: 'x' } satisfies NoticeIgnored;
    expect(wrong).toBeDefined();
  });
});

describe('contracts - README', () => {
  it('lists every subject of the contract table', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    for (const c of CONTRACTS) expect(readme).toContain(`\`${c.subject}\``);
  });
});
