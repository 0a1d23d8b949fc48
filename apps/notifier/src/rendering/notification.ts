import { createHash } from 'node:crypto';
import { DateTime, Duration } from 'luxon';
import Mustache from 'mustache';
import { LIFECYCLE_TYPES, type DeviceEvent, type DrainStepEvent, type Impact, type LifecycleEvent, type LifecycleType, type NoticeUnparsed } from '@maintwatch/contracts';

/** The event types a route can name: the lifecycle types, `unparsed` and `device-event` (junos-gateway, priority 1 and 2). */
export const NOTIFY_TYPES = [...LIFECYCLE_TYPES, 'unparsed', 'device-event', 'drain'] as const;
/** One routable event type. */
export type NotifyType = (typeof NOTIFY_TYPES)[number];

/** What the notifier tells people about: a lifecycle event, or a notice that could not be parsed. */
export type NotificationEvent =
  | { kind: 'lifecycle'; eventId: string; type: LifecycleType; event: LifecycleEvent }
  | { kind: 'unparsed'; eventId: string; type: 'unparsed'; notice: NoticeUnparsed }
  | { kind: 'device'; eventId: string; type: 'device-event'; device: DeviceEvent }
  | { kind: 'drain'; eventId: string; type: 'drain'; drain: DrainStepEvent };

/** Event id of an unparsed notice: deterministic per (notice, attempt), like lifecycle event ids. */
export function unparsedEventId(notice: Pick<NoticeUnparsed, 'noticeId' | 'attempt'>): string {
  const h = createHash('sha256').update(`${notice.noticeId}\u0000${notice.attempt}`).digest('hex');
  return `unp-${h.slice(0, 32)}`;
}

/** A lifecycle event as a notification. */
export function lifecycleNotification(event: LifecycleEvent): NotificationEvent {
  return { kind: 'lifecycle', eventId: event.eventId, type: event.type, event };
}

/** An unparsed notice as a notification. */
export function unparsedNotification(notice: NoticeUnparsed): NotificationEvent {
  return { kind: 'unparsed', eventId: unparsedEventId(notice), type: 'unparsed', notice };
}

/**
 * A device event as a notification; undefined for priority 3 (stored only: the gateway publishes
 * it for subscribers, but nobody is told in chat).
 */
export function deviceNotification(event: DeviceEvent): NotificationEvent | undefined {
  return event.priority <= 2 ? { kind: 'device', eventId: event.eventId, type: 'device-event', device: event } : undefined;
}

/** A drain or restore step of the junos-gateway as a notification (every step is announced). */
export function drainNotification(step: DrainStepEvent): NotificationEvent {
  return { kind: 'drain', eventId: step.stepId, type: 'drain', drain: step };
}

/** Worst first. */
export const IMPACT_RANK: Record<Impact, number> = { OUTAGE: 3, DEGRADED: 2, 'REDUCED-REDUNDANCY': 1, 'NO-IMPACT': 0 };

/** The worst impact of a maintenance's circuits (NO-IMPACT when it has none). */
export function worstImpact(event: NotificationEvent): Impact | undefined {
  if (event.kind !== 'lifecycle') return undefined;
  let worst: Impact = 'NO-IMPACT';
  for (const c of event.event.maintenance.circuits) if (IMPACT_RANK[c.impact] > IMPACT_RANK[worst]) worst = c.impact;
  return worst;
}

const LABELS: Record<NotifyType, { label: string; emoji: string }> = {
  new: { label: 'New maintenance', emoji: '🆕' },
  updated: { label: 'Maintenance updated', emoji: '📝' },
  rescheduled: { label: 'Maintenance rescheduled', emoji: '📅' },
  cancelled: { label: 'Maintenance cancelled', emoji: '❌' },
  'starting-soon': { label: 'Maintenance starting soon', emoji: '⏳' },
  started: { label: 'Maintenance started', emoji: '🚧' },
  ended: { label: 'Maintenance ended', emoji: '✅' },
  overlap: { label: 'Overlapping maintenances', emoji: '⚠️' },
  unparsed: { label: 'Notice could not be parsed', emoji: '❓' },
  'device-event': { label: 'Device event', emoji: '🚨' },
  drain: { label: 'Circuit drain', emoji: '🛠️' },
};

/** Placeholders a destination's title / intro template may use (`{{providerName}}`). */
export const TEMPLATE_FIELDS = [
  'type',
  'typeLabel',
  'eventId',
  'providerType',
  'providerName',
  'maintenanceId',
  'account',
  'status',
  'impact',
  'summary',
  'window',
  'windowLocal',
  'timezone',
  'duration',
  'circuitCount',
  'noticeId',
  'sender',
  'subject',
  'reasons',
  'correlationId',
  'device',
  'junosEvent',
  'priority',
] as const;
/** Placeholders a link template may use; values are URL-encoded. */
export const LINK_FIELDS = ['providerType', 'maintenanceId', 'eventId', 'noticeId'] as const;

/** Default title of every destination. */
export const DEFAULT_TITLE = '{{typeLabel}}: {{providerName}} {{maintenanceId}}';
const DEFAULT_UNPARSED_TITLE = '{{typeLabel}}: {{subject}}';
const DEFAULT_DEVICE_TITLE = '{{typeLabel}}: {{junosEvent}} on {{device}}';
const DEFAULT_DRAIN_TITLE = '{{typeLabel}} {{status}}: {{providerName}} {{maintenanceId}} on {{device}}';
/** Priority 2 messages show this much of the event's message (priority 1: all of it, and the detail). */
const DEVICE_SUMMARY_CHARS = 300;

/** A circuit line of a message. */
export interface CircuitLine {
  id: string;
  impact: Impact;
  group?: string;
  description?: string;
}

/** A notification, formatted once and laid out by each destination type within its limits. */
export interface MessageContent {
  eventId: string;
  type: NotifyType;
  emoji: string;
  title: string;
  intro?: string;
  facts: { label: string; value: string }[];
  summary?: string;
  changes: { label: string; old: string; new: string }[];
  overlaps: string[];
  /** Every circuit, worst impact first. */
  circuits: CircuitLine[];
  reasons: string[];
  links: { maintenance?: string; calendar?: string; notice?: string };
  /** "event <id> · ref <correlation id>" */
  footer: string;
  possibleRepeat: boolean;
  /** How many circuits a message shows before "and N more". */
  maxCircuits: number;
}

/** How a destination wants its messages. */
export interface ContentOptions {
  timezone: string;
  links: { maintenance?: string; calendar?: string; notice?: string };
  template?: { title?: string; intro?: string };
  maxCircuits: number;
  correlationId?: string;
  possibleRepeat?: boolean;
}

/** Builds the content of a message about `n` for one destination. */
export function describe(n: NotificationEvent, o: ContentOptions): MessageContent {
  const view = templateView(n, o);
  // Templates are plain text: no HTML escaping (each destination escapes for its own format).
  const plain = (tpl: string) => Mustache.render(tpl, view, {}, { escape: (s: string) => s });
  const defaultTitle = n.kind === 'unparsed' ? DEFAULT_UNPARSED_TITLE : n.kind === 'device' ? DEFAULT_DEVICE_TITLE : n.kind === 'drain' ? DEFAULT_DRAIN_TITLE : DEFAULT_TITLE;
  const title = plain(o.template?.title ?? defaultTitle).replace(/\s+/g, ' ').trim();
  const intro = o.template?.intro ? plain(o.template.intro).trim() : undefined;
  const link = (tpl: string | undefined) => (tpl ? Mustache.render(tpl, linkView(n), {}, { escape: encodeURIComponent }) : undefined);
  const footer = [`event ${n.eventId}`, o.correlationId ? `ref ${o.correlationId}` : undefined].filter(Boolean).join(' · ');
  const base = {
    eventId: n.eventId,
    type: n.type,
    emoji: LABELS[n.type].emoji,
    title: title || LABELS[n.type].label,
    intro: intro || undefined,
    footer,
    possibleRepeat: o.possibleRepeat ?? false,
    maxCircuits: o.maxCircuits,
  };
  if (n.kind === 'unparsed') {
    const u = n.notice;
    return {
      ...base,
      facts: [
        { label: 'Provider', value: u.providerType ?? 'unknown' },
        { label: 'Sender', value: u.sender ?? 'unknown' },
        { label: 'Subject', value: u.subject ?? '(none)' },
        { label: 'Notice', value: u.attempt > 1 ? `${u.noticeId} (attempt ${u.attempt})` : u.noticeId },
      ],
      changes: [],
      overlaps: [],
      circuits: [],
      reasons: u.reasons,
      links: { notice: link(o.links.notice), calendar: undefined, maintenance: undefined },
    };
  }
  if (n.kind === 'drain') {
    const d = n.drain;
    const facts = [
      { label: 'Step', value: `${d.step}${d.dryRun ? ' (dry-run)' : ''}` },
      { label: 'Device', value: d.device },
      { label: 'Circuit', value: d.circuitId },
      { label: 'Method', value: d.method },
      { label: 'Maintenance', value: `${d.providerType} ${d.maintenanceId}` },
      { label: 'Window (UTC)', value: formatWindow(d.window.start, d.window.end, 'UTC') },
    ];
    if (o.timezone !== 'UTC') facts.push({ label: `Window (${o.timezone})`, value: formatWindow(d.window.start, d.window.end, o.timezone) });
    const text = [d.detail, d.diff ? `Configuration change:\n${d.diff}` : undefined].filter(Boolean).join('\n\n');
    return { ...base, facts, summary: text, changes: [], overlaps: [], circuits: [], reasons: [], links: {} };
  }
  if (n.kind === 'device') {
    const d = n.device;
    const detailed = d.priority === 1;
    const facts = [
      { label: 'Device', value: d.device },
      { label: 'Event', value: d.junosEvent },
      { label: 'Priority', value: `${d.priority} (${d.severity})` },
      { label: 'Time (UTC)', value: DateTime.fromSeconds(d.occurredAt, { zone: 'UTC' }).toFormat("yyyy-MM-dd HH:mm:ss 'UTC'") },
    ];
    if (o.timezone !== 'UTC') facts.push({ label: `Time (${o.timezone})`, value: DateTime.fromSeconds(d.occurredAt, { zone: o.timezone }).toFormat('yyyy-MM-dd HH:mm:ss ZZZZ') });
    if (detailed && d.attributes.process) facts.push({ label: 'Process', value: d.attributes.process });
    const text = detailed ? [d.message, d.attributes.detail].filter((x) => x && x.trim()).join('\n\n') : clip(d.message, DEVICE_SUMMARY_CHARS);
    return { ...base, facts, summary: text.trim() || undefined, changes: [], overlaps: [], circuits: [], reasons: [], links: {} };
  }
  const e = n.event;
  const m = e.maintenance;
  const facts = [
    { label: 'Provider', value: m.providerName },
    { label: 'Maintenance', value: m.maintenanceId },
    { label: 'Status', value: m.status },
    { label: 'Impact', value: worstImpact(n) ?? 'NO-IMPACT' },
    { label: 'Window (UTC)', value: formatWindow(m.start, m.end, 'UTC') },
  ];
  if (o.timezone !== 'UTC') facts.push({ label: `Window (${o.timezone})`, value: formatWindow(m.start, m.end, o.timezone) });
  facts.push({ label: 'Duration', value: formatDuration(m.end - m.start) });
  if (m.account) facts.push({ label: 'Account', value: m.account });
  if (m.acknowledged) facts.push({ label: 'Acknowledged', value: `by ${m.acknowledged.by}` });
  const changes: MessageContent['changes'] = [];
  if (e.previousWindow) {
    changes.push({
      label: 'Window',
      old: formatWindow(e.previousWindow.start, e.previousWindow.end, o.timezone),
      new: formatWindow(m.start, m.end, o.timezone),
    });
  }
  for (const c of e.changes) {
    if (e.previousWindow && (c.field === 'start' || c.field === 'end')) continue;
    changes.push({ label: c.field, old: formatValue(c.field, c.old, o.timezone), new: formatValue(c.field, c.new, o.timezone) });
  }
  const overlaps = (e.overlaps ?? []).map((ov) => {
    const on = [
      ov.sharedCircuits.length ? `circuits ${ov.sharedCircuits.join(', ')}` : '',
      ov.redundancyGroups.length ? `redundancy group ${ov.redundancyGroups.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return `${ov.providerType} ${ov.maintenanceId} (${formatWindow(ov.window.start, ov.window.end, o.timezone)})${on ? ` on ${on}` : ''}`;
  });
  const lostGroups = m.redundancyGroups.filter((g) => g.allCircuitsAffected).map((g) => g.name);
  if (lostGroups.length) overlaps.push(`every circuit of redundancy group ${lostGroups.join(', ')} is affected`);
  const circuits = [...m.circuits]
    .sort((a, b) => IMPACT_RANK[b.impact] - IMPACT_RANK[a.impact] || a.providerCircuitId.localeCompare(b.providerCircuitId))
    .map((c) => ({ id: c.providerCircuitId, impact: c.impact, group: c.redundancyGroup, description: c.description }));
  return {
    ...base,
    facts,
    summary: m.summary.trim() || undefined,
    changes,
    overlaps,
    circuits,
    reasons: [],
    links: { maintenance: link(o.links.maintenance), calendar: link(o.links.calendar) },
  };
}

/** The values of the template placeholders for one notification. */
export function templateView(n: NotificationEvent, o: Pick<ContentOptions, 'timezone' | 'correlationId'>): Record<(typeof TEMPLATE_FIELDS)[number], string> {
  const common = { type: n.type, typeLabel: LABELS[n.type].label, eventId: n.eventId, timezone: o.timezone, correlationId: o.correlationId ?? '', device: '', junosEvent: '', priority: '' };
  if (n.kind === 'unparsed') {
    const u = n.notice;
    return {
      ...common,
      providerType: u.providerType ?? '',
      providerName: u.providerType ?? 'unknown provider',
      maintenanceId: '',
      account: '',
      status: '',
      impact: '',
      summary: '',
      window: '',
      windowLocal: '',
      duration: '',
      circuitCount: '0',
      noticeId: u.noticeId,
      sender: u.sender ?? '',
      subject: u.subject ?? '(no subject)',
      reasons: u.reasons.join('; '),
    };
  }
  if (n.kind === 'drain') {
    const d = n.drain;
    return {
      ...common,
      device: d.device,
      providerType: d.providerType,
      providerName: d.providerType,
      maintenanceId: d.maintenanceId,
      account: '',
      status: d.step,
      impact: '',
      summary: d.detail,
      window: formatWindow(d.window.start, d.window.end, 'UTC'),
      windowLocal: formatWindow(d.window.start, d.window.end, o.timezone),
      duration: formatDuration(d.window.end - d.window.start),
      circuitCount: '1',
      noticeId: '',
      sender: '',
      subject: '',
      reasons: '',
    };
  }
  if (n.kind === 'device') {
    const d = n.device;
    return {
      ...common,
      device: d.device,
      junosEvent: d.junosEvent,
      priority: String(d.priority),
      providerType: '',
      providerName: '',
      maintenanceId: '',
      account: '',
      status: '',
      impact: '',
      summary: d.message,
      window: '',
      windowLocal: '',
      duration: '',
      circuitCount: '0',
      noticeId: '',
      sender: '',
      subject: '',
      reasons: '',
    };
  }
  const m = n.event.maintenance;
  return {
    ...common,
    providerType: m.providerType,
    providerName: m.providerName,
    maintenanceId: m.maintenanceId,
    account: m.account,
    status: m.status,
    impact: worstImpact(n) ?? 'NO-IMPACT',
    summary: m.summary,
    window: formatWindow(m.start, m.end, 'UTC'),
    windowLocal: formatWindow(m.start, m.end, o.timezone),
    duration: formatDuration(m.end - m.start),
    circuitCount: String(m.circuits.length),
    noticeId: n.event.noticeId ?? '',
    sender: '',
    subject: '',
    reasons: '',
  };
}

function linkView(n: NotificationEvent): Record<(typeof LINK_FIELDS)[number], string> {
  if (n.kind === 'unparsed') return { providerType: n.notice.providerType ?? '', maintenanceId: '', eventId: n.eventId, noticeId: n.notice.noticeId };
  if (n.kind === 'device') return { providerType: '', maintenanceId: '', eventId: n.eventId, noticeId: '' };
  if (n.kind === 'drain') return { providerType: n.drain.providerType, maintenanceId: n.drain.maintenanceId, eventId: n.eventId, noticeId: '' };
  const m = n.event.maintenance;
  return { providerType: m.providerType, maintenanceId: m.maintenanceId, eventId: n.eventId, noticeId: n.event.noticeId ?? '' };
}

/** "2026-01-10 02:00–06:00 UTC", or both dates when the window spans midnight in that zone. */
export function formatWindow(start: number, end: number, zone: string): string {
  const a = DateTime.fromSeconds(start, { zone });
  const b = DateTime.fromSeconds(end, { zone });
  const tz = zone === 'UTC' ? 'UTC' : a.toFormat('ZZZZ');
  const day = 'yyyy-MM-dd HH:mm';
  return a.hasSame(b, 'day') ? `${a.toFormat(day)}–${b.toFormat('HH:mm')} ${tz}` : `${a.toFormat(day)} – ${b.toFormat(day)} ${tz === 'UTC' ? 'UTC' : b.toFormat('ZZZZ')}`;
}

/** "4h", "1d 2h 30m". */
export function formatDuration(seconds: number): string {
  const d = Duration.fromObject({ seconds: Math.max(0, seconds) }).shiftTo('days', 'hours', 'minutes');
  const parts = [d.days ? `${d.days}d` : '', d.hours ? `${d.hours}h` : '', Math.round(d.minutes) ? `${Math.round(d.minutes)}m` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : '0m';
}

function formatValue(field: string, v: unknown, zone: string): string {
  if (v === undefined || v === null || v === '') return '—';
  if ((field === 'start' || field === 'end' || field === 'stamp') && typeof v === 'number') {
    return DateTime.fromSeconds(v, { zone }).toFormat(`yyyy-MM-dd HH:mm ${zone === 'UTC' ? "'UTC'" : 'ZZZZ'}`);
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  const json = JSON.stringify(v);
  return json.length > 300 ? `${json.slice(0, 299)}…` : json;
}

/** Cuts text to `max` characters, ending with "…" when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
