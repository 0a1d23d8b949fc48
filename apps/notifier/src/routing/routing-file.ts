import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { IANAZone } from 'luxon';
import Mustache from 'mustache';
import { z } from 'zod';
import { Impact, LIFECYCLE_TYPES } from '@maintwatch/contracts';
import { RoutingConfigError } from '../errors';
import { LINK_FIELDS, NOTIFY_TYPES, TEMPLATE_FIELDS, type NotifyType } from '../rendering/notification';
import { Secret } from './secret';

/** Kinds of destination. */
export const DESTINATION_TYPES = ['slack-webhook', 'slack-api', 'teams', 'webhook', 'console'] as const;
/** One kind of destination. */
export type DestinationType = (typeof DESTINATION_TYPES)[number];

/** A destination, resolved: secrets read, defaults applied. */
export interface DestinationSettings {
  name: string;
  type: DestinationType;
  /** Incoming webhook / Workflows / generic webhook URL. */
  url?: Secret;
  /** Slack bot token (chat.postMessage, conversations.history). */
  token?: Secret;
  /** Slack channel id for chat.postMessage. */
  channel?: string;
  /** Slack Web API base URL. */
  apiUrl?: string;
  /** HMAC-SHA256 key of the generic webhook's signature. */
  secret?: Secret;
  rateLimit: { perSecond: number; burst: number };
  /** One request's time limit; after it the outcome is unknown (in doubt). */
  timeoutMs: number;
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  template: { title?: string; intro?: string };
  maxCircuits: number;
  timezone: string;
}

/** A routing rule: which events go where. Unset filters match everything. */
export interface Route {
  name: string;
  events: ReadonlySet<NotifyType>;
  providers?: ReadonlySet<string>;
  circuits?: ReadonlySet<string>;
  impacts?: ReadonlySet<Impact>;
  redundancyGroups?: ReadonlySet<string>;
  destinations: readonly string[];
}

/** The whole routing: destinations, rules, links and display settings. */
export interface Routing {
  /** The file it came from, or "environment". */
  source: string;
  timezone: string;
  links: { maintenance?: string; calendar?: string; notice?: string };
  /** When false (the default), NO-IMPACT maintenances only go to routes that name NO-IMPACT. */
  notifyNoImpact: boolean;
  destinations: ReadonlyMap<string, DestinationSettings>;
  routes: readonly Route[];
}

/** Per-type defaults: Slack posts about one message per second per channel. */
export const DESTINATION_DEFAULTS: Record<DestinationType, { perSecond: number; burst: number; timeoutMs: number; maxCircuits: number }> = {
  'slack-webhook': { perSecond: 1, burst: 1, timeoutMs: 10_000, maxCircuits: 25 },
  'slack-api': { perSecond: 1, burst: 1, timeoutMs: 10_000, maxCircuits: 25 },
  teams: { perSecond: 2, burst: 2, timeoutMs: 15_000, maxCircuits: 25 },
  webhook: { perSecond: 20, burst: 20, timeoutMs: 10_000, maxCircuits: 1000 },
  console: { perSecond: 1000, burst: 1000, timeoutMs: 1000, maxCircuits: 25 },
};
/** Retries: about 8 attempts over a few minutes by default. */
export const RETRY_DEFAULTS = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 5 * 60_000 } as const;
/** Where the Slack Web API is. */
export const SLACK_API_URL = 'https://slack.com/api';

/** The environment as the routing file's secret references read it. */
export type Env = Readonly<Record<string, string | undefined>>;

const destinationName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be letters, digits, "_" or "-" (at most 64)');
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the NAME of an environment variable (the value itself never goes in this file)');
const common = {
  rateLimit: z.strictObject({ perSecond: z.number().positive().max(1000), burst: z.number().int().min(1).max(1000).optional() }).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
  retry: z
    .strictObject({
      maxAttempts: z.number().int().min(1).max(100).optional(),
      baseDelayMs: z.number().int().min(10).max(600_000).optional(),
      maxDelayMs: z.number().int().min(10).max(3_600_000).optional(),
    })
    .optional(),
  template: z.strictObject({ title: z.string().min(1).max(500).optional(), intro: z.string().min(1).max(2000).optional() }).optional(),
  maxCircuits: z.number().int().min(1).max(1000).optional(),
  timezone: z.string().optional(),
};
const DestinationEntry = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('slack-webhook'), urlEnv: envName, ...common }),
    z.strictObject({ type: z.literal('slack-api'), tokenEnv: envName, channel: z.string().min(1), apiUrl: z.url({ protocol: /^https?$/ }).optional(), ...common }),
    z.strictObject({ type: z.literal('teams'), urlEnv: envName, ...common }),
    z.strictObject({ type: z.literal('webhook'), urlEnv: envName, secretEnv: envName, ...common }),
    z.strictObject({ type: z.literal('console'), ...common }),
  ],
  { error: `type must be one of ${DESTINATION_TYPES.join(', ')}` },
);
const RouteEntry = z.strictObject({
  name: z.string().min(1).optional(),
  events: z.array(z.enum(NOTIFY_TYPES, { error: `must be one of ${NOTIFY_TYPES.join(', ')}` })).min(1).optional(),
  providers: z.array(z.string().min(1)).min(1).optional(),
  circuits: z.array(z.string().min(1)).min(1).optional(),
  impacts: z.array(z.enum(Impact.options, { error: `must be one of ${Impact.options.join(', ')}` })).min(1).optional(),
  redundancyGroups: z.array(z.string().min(1)).min(1).optional(),
  destinations: z.array(destinationName).min(1),
});
const RoutingFile = z.strictObject({
  timezone: z.string().optional(),
  links: z.strictObject({ maintenance: z.string().min(1).optional(), calendar: z.string().min(1).optional(), notice: z.string().min(1).optional() }).optional(),
  notifyNoImpact: z.boolean().optional(),
  destinations: z.record(destinationName, DestinationEntry),
  routes: z.array(RouteEntry).min(1),
});
type RoutingFileInput = z.infer<typeof RoutingFile>;
type DestinationEntry = z.infer<typeof DestinationEntry>;

/** Defaults the file may override: the display zone and the links (from NOTIFIER_TIMEZONE / NOTIFIER_PUBLIC_URL). */
export interface RoutingDefaults {
  timezone: string;
  links: Routing['links'];
}

/**
 * Reads and validates a routing file (YAML or JSON). Throws a RoutingConfigError listing every
 * problem with its path in the file: unknown keys, bad values, routes naming a destination that
 * does not exist, secrets whose environment variable is unset, bad templates and time zones.
 * Secret values are never part of a message.
 */
export function loadRoutingFile(path: string, env: Env, defaults: RoutingDefaults): Routing {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RoutingConfigError([{ path: '', message: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` }]);
  }
  let doc: unknown;
  try {
    doc = yaml.load(text, { filename: path });
  } catch (err) {
    const e = err as yaml.YAMLException;
    const where = e.mark ? ` at line ${e.mark.line + 1}, column ${e.mark.column + 1}` : '';
    throw new RoutingConfigError([{ path: '', message: `is not valid YAML/JSON${where}: ${e.reason ?? e.message}` }]);
  }
  return parseRouting(doc, env, defaults, path);
}

/** Validates an already parsed routing document (see loadRoutingFile). */
export function parseRouting(doc: unknown, env: Env, defaults: RoutingDefaults, source: string): Routing {
  const problems: { path: string; message: string }[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path: path.join('.'), message });
  const parsed = RoutingFile.safeParse(doc ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) add(issue.path.map(String), issueMessage(issue));
    throw new RoutingConfigError(problems);
  }
  const file: RoutingFileInput = parsed.data;
  const timezone = file.timezone ?? defaults.timezone;
  if (!isZone(timezone)) add(['timezone'], `"${timezone}" is not an IANA time zone (e.g. Europe/Paris)`);
  const links = { ...defaults.links, ...file.links };
  for (const [k, tpl] of Object.entries(file.links ?? {})) checkTemplate(tpl, LINK_FIELDS, ['links', k], add);

  const destinations = new Map<string, DestinationSettings>();
  for (const [name, d] of Object.entries(file.destinations)) {
    const at = ['destinations', name];
    const settings = resolveDestination(name, d, timezone, env, (p, m) => add([...at, ...p], m));
    if (d.timezone !== undefined && !isZone(d.timezone)) add([...at, 'timezone'], `"${d.timezone}" is not an IANA time zone (e.g. Europe/Paris)`);
    if (d.template?.title) checkTemplate(d.template.title, TEMPLATE_FIELDS, [...at, 'template', 'title'], add);
    if (d.template?.intro) checkTemplate(d.template.intro, TEMPLATE_FIELDS, [...at, 'template', 'intro'], add);
    if (d.retry?.baseDelayMs !== undefined && d.retry.maxDelayMs !== undefined && d.retry.maxDelayMs < d.retry.baseDelayMs) {
      add([...at, 'retry', 'maxDelayMs'], 'must not be less than baseDelayMs');
    }
    if (settings) destinations.set(name, settings);
  }
  const defined = Object.keys(file.destinations);
  const routes: Route[] = file.routes.map((r, i) => {
    r.destinations.forEach((dest, j) => {
      if (!(dest in file.destinations)) {
        add(['routes', i, 'destinations', j], `names destination "${dest}", which is not defined (defined: ${defined.join(', ') || 'none'})`);
      }
    });
    const lower = (xs: string[] | undefined) => (xs ? new Set(xs.map((x) => x.toLowerCase())) : undefined);
    return {
      name: r.name ?? `routes[${i}]`,
      events: new Set<NotifyType>(r.events ?? LIFECYCLE_TYPES),
      providers: lower(r.providers),
      circuits: lower(r.circuits),
      impacts: r.impacts ? new Set(r.impacts) : undefined,
      redundancyGroups: lower(r.redundancyGroups),
      destinations: [...new Set(r.destinations)],
    };
  });
  if (problems.length) throw new RoutingConfigError(problems);
  return { source, timezone, links, notifyNoImpact: file.notifyNoImpact ?? false, destinations, routes };
}

/** The destination settings a destination type gets with no overrides. */
export function destinationDefaults(name: string, type: DestinationType, timezone: string): DestinationSettings {
  const d = DESTINATION_DEFAULTS[type];
  return {
    name,
    type,
    rateLimit: { perSecond: d.perSecond, burst: d.burst },
    timeoutMs: d.timeoutMs,
    retry: { ...RETRY_DEFAULTS },
    template: {},
    maxCircuits: d.maxCircuits,
    timezone,
  };
}

function resolveDestination(
  name: string,
  d: DestinationEntry,
  timezone: string,
  env: Env,
  add: (path: string[], message: string) => void,
): DestinationSettings | undefined {
  const base = destinationDefaults(name, d.type, d.timezone ?? timezone);
  const s: DestinationSettings = {
    ...base,
    rateLimit: { perSecond: d.rateLimit?.perSecond ?? base.rateLimit.perSecond, burst: d.rateLimit?.burst ?? Math.max(1, Math.ceil(d.rateLimit?.perSecond ?? base.rateLimit.burst)) },
    timeoutMs: d.timeoutMs ?? base.timeoutMs,
    retry: { ...base.retry, ...d.retry },
    template: { ...d.template },
    maxCircuits: d.maxCircuits ?? base.maxCircuits,
  };
  let ok = true;
  const secret = (field: string, variable: string, kind: 'url' | 'token' | 'key'): Secret | undefined => {
    const r = readSecret(variable, env);
    if ('problem' in r) {
      add([field], r.problem);
      ok = false;
      return undefined;
    }
    if (kind === 'url' && !isHttpUrl(r.value)) {
      add([field], `the value of ${variable} is not an http:// or https:// URL (not shown: it is a secret)`);
      ok = false;
    }
    return new Secret(r.value, variable);
  };
  switch (d.type) {
    case 'slack-webhook':
    case 'teams':
      s.url = secret('urlEnv', d.urlEnv, 'url');
      break;
    case 'webhook':
      s.url = secret('urlEnv', d.urlEnv, 'url');
      s.secret = secret('secretEnv', d.secretEnv, 'key');
      break;
    case 'slack-api':
      s.token = secret('tokenEnv', d.tokenEnv, 'token');
      s.channel = d.channel;
      s.apiUrl = (d.apiUrl ?? SLACK_API_URL).replace(/\/+$/, '');
      break;
    case 'console':
      break;
  }
  return ok ? s : undefined;
}

/** Reads a secret from VAR or from the file named by VAR_FILE (trimmed), as Docker/Kubernetes mount them. */
export function readSecret(variable: string, env: Env): { value: string } | { problem: string } {
  const direct = blank(env[variable]);
  const file = blank(env[`${variable}_FILE`]);
  if (direct !== undefined && file !== undefined) return { problem: `both ${variable} and ${variable}_FILE are set; set only one` };
  if (file !== undefined) {
    try {
      const value = readFileSync(file, 'utf8').trim();
      return value ? { value } : { problem: `${variable}_FILE=${file} is empty` };
    } catch (err) {
      return { problem: `${variable}_FILE=${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
    }
  }
  if (direct === undefined) return { problem: `${variable} is not set (set ${variable} or ${variable}_FILE)` };
  return { value: direct.trim() };
}

function checkTemplate(tpl: string, fields: readonly string[], path: (string | number)[], add: (p: (string | number)[], m: string) => void): void {
  let tokens: unknown[];
  try {
    tokens = Mustache.parse(tpl) as unknown[];
  } catch (err) {
    add(path, `is not a valid template: ${(err as Error).message}`);
    return;
  }
  const names = new Set<string>();
  const walk = (ts: unknown[]) => {
    for (const t of ts) {
      if (!Array.isArray(t)) continue;
      const [kind, value, , , children] = t as [string, string, number, number, unknown[] | undefined];
      if (kind !== 'text') names.add(value);
      if (Array.isArray(children)) walk(children);
    }
  };
  walk(tokens);
  const unknown = [...names].filter((n) => !fields.includes(n));
  if (unknown.length) add(path, `unknown placeholder ${unknown.map((n) => `{{${n}}}`).join(', ')} (known: ${fields.join(', ')})`);
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'missing';
  if (issue.code === 'invalid_key') return `the name ${issue.issues[0]?.message ?? 'is invalid'}`;
  if (issue.code === 'too_small' && issue.origin === 'array') return `must list at least ${String(issue.minimum)}`;
  return issue.message;
}

function isZone(zone: string): boolean {
  return zone === 'UTC' || IANAZone.isValidZone(zone);
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function blank(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}
