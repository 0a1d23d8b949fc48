// A local server that behaves like Slack for the parts Maintwatch uses: incoming webhooks,
// chat.postMessage and conversations.history (with message metadata), with Slack's status
// codes and error strings, its Block Kit limits and, on request, its per-channel rate limit.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ScriptedHttpServer, FakeRateLimit, type FakeAnswer, type FakeFault, type FakeHttpCall } from './scripted-http.server';

/** Options of the fake Slack. */
export interface FakeSlackOptions {
  /** The bot token chat.postMessage and conversations.history accept. Default: a random xoxb- token. */
  token?: string;
  /** Channel ids that exist at start. Default: none (add them with addChannel). */
  channels?: string[];
  /** Slack's per-channel posting limit: beyond it, 429 with Retry-After. Off unless given. */
  rateLimit?: { perSecond: number; burst?: number };
  /** OAuth scopes of the bot token. Default: chat:write and channels:history. */
  scopes?: string[];
}

/** A message as Slack stored it. */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: SlackBlock[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  via: 'webhook' | 'api';
  /** Epoch ms when Slack accepted it. */
  receivedAt: number;
}

/** A Block Kit block, loosely typed (the fake validates what it needs). */
export type SlackBlock = { type: string } & Record<string, unknown>;

/** Slack's documented Block Kit limits that the fake enforces. */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  textChars: 3000,
  headerChars: 150,
  sectionFields: 10,
  fieldChars: 2000,
  contextElements: 10,
  actionElements: 25,
  buttonTextChars: 75,
  urlChars: 3000,
  messageTextChars: 40_000,
} as const;

/** A running fake Slack. */
export interface FakeSlack {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Web API base, as the `slackApiUrl` of a client: `<url>/api`. */
  readonly apiUrl: string;
  /** The bot token the Web API accepts. */
  readonly token: string;
  /** The incoming-webhook URL that posts to `channel` (its secret part is random). */
  webhookUrl(channel: string): string;
  /** Creates a channel (a webhook to a missing channel answers 404 channel_not_found). */
  addChannel(channel: string): void;
  /** Deletes a channel. */
  removeChannel(channel: string): void;
  /** Messages stored, in order; one channel or all. */
  messages(channel?: string): FakeSlackMessage[];
  /** Every HTTP request received. */
  requests(): FakeHttpCall[];
  /** Scripts the next posts to `channel` (webhook or API): errors, statuses, hangs. */
  fail(channel: string, ...faults: FakeFault[]): void;
  /** Resolves with the first request matching (already received or future). */
  nextRequest(match?: (r: FakeHttpCall) => boolean, timeoutMs?: number): Promise<FakeHttpCall>;
  /** Stops the server, cutting hanging requests. */
  close(): Promise<void>;
}

// Slack answers incoming webhooks with these statuses for these errors.
const WEBHOOK_STATUS: Record<string, number> = {
  invalid_payload: 400,
  invalid_blocks: 400,
  no_text: 400,
  too_many_attachments: 400,
  user_not_found: 404,
  channel_not_found: 404,
  no_service: 404,
  channel_is_archived: 410,
  action_prohibited: 403,
  posting_to_general_channel_denied: 403,
  rate_limited: 429,
  internal_error: 500,
};

/** Starts a fake Slack on a free loopback port. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const token = options.token ?? `xoxb-fake-${randomBytes(8).toString('hex')}`;
  const channels = new Set(options.channels ?? []);
  const scopes = new Set(options.scopes ?? ['chat:write', 'channels:history']);
  const hooks = new Map<string, string>(); // webhook secret -> channel
  const messages: FakeSlackMessage[] = [];
  const limit = options.rateLimit ? new FakeRateLimit(options.rateLimit.perSecond, options.rateLimit.burst) : undefined;
  let lastTs = 0;

  const nextTs = () => {
    // Slack ts: "<seconds>.<6 digits>", unique and increasing within a channel.
    lastTs = Math.max(lastTs + 1, Date.now() * 1000);
    return `${Math.floor(lastTs / 1e6)}.${String(lastTs % 1e6).padStart(6, '0')}`;
  };

  const store = (m: Omit<FakeSlackMessage, 'ts' | 'receivedAt'>): FakeSlackMessage => {
    const msg = { ...m, ts: nextTs(), receivedAt: Date.now() };
    messages.push(msg);
    return msg;
  };

  const server: ScriptedHttpServer = new ScriptedHttpServer(async (req, body, url, log): Promise<FakeAnswer> => {
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'POST' && parts[0] === 'services' && parts.length === 4) {
      return webhook(parts[3], body, log);
    }
    if (parts[0] === 'api' && parts[1] === 'chat.postMessage' && req.method === 'POST') return postMessage(req, body, log);
    if (parts[0] === 'api' && parts[1] === 'conversations.history') return history(req, body, url, log);
    return { status: 404, body: 'not found' };
  });

  const webhook = (secret: string, body: string, log: FakeHttpCall): FakeAnswer => {
    const channel = hooks.get(secret);
    if (channel === undefined) return webhookError('no_service');
    log.target = channel;
    const fault = server.takeFault(channel);
    const parsed = parseJson(body);
    if (fault && 'hang' in fault) {
      if (fault.hang === 'after-store' && parsed && validateMessage(parsed) === undefined) {
        store({ channel, text: str(parsed['text']), blocks: blocksOf(parsed), via: 'webhook' });
      }
      return { hang: true };
    }
    if (fault) {
      const status = fault.status ?? WEBHOOK_STATUS[fault.error ?? ''] ?? 500;
      return withRetryAfter({ status, body: fault.error ?? statusText(status), error: fault.error }, fault.retryAfterS);
    }
    if (!parsed) return webhookError('invalid_payload');
    if (!channels.has(channel)) return webhookError('channel_not_found');
    const invalid = validateMessage(parsed);
    if (invalid) return webhookError(invalid);
    const wait = limit?.take(channel);
    if (wait !== undefined) return withRetryAfter({ status: 429, body: 'rate_limited', error: 'rate_limited' }, wait);
    store({ channel, text: str(parsed['text']), blocks: blocksOf(parsed), via: 'webhook' });
    return { status: 200, body: 'ok' };
  };

  const postMessage = (req: IncomingMessage, body: string, log: FakeHttpCall): FakeAnswer => {
    const auth = authError(req);
    if (auth) return apiError(auth);
    if (!scopes.has('chat:write')) return { status: 200, body: { ok: false, error: 'missing_scope', needed: 'chat:write' }, error: 'missing_scope' };
    const parsed = isJson(req) ? parseJson(body) : formToObject(body);
    if (!parsed) return apiError('invalid_json');
    const channel = str(parsed['channel']);
    log.target = channel;
    const fault = channel ? server.takeFault(channel) : undefined;
    if (fault && 'hang' in fault) {
      if (fault.hang === 'after-store' && channel && validateMessage(parsed) === undefined) {
        store({ channel, text: str(parsed['text']), blocks: blocksOf(parsed), metadata: metadataOf(parsed), via: 'api' });
      }
      return { hang: true };
    }
    if (fault) {
      const error = fault.error ?? (fault.status === 429 ? 'ratelimited' : 'internal_error');
      const status = fault.status ?? 200;
      return withRetryAfter({ status, body: { ok: false, error }, error }, fault.retryAfterS);
    }
    if (!channel || !channels.has(channel)) return apiError('channel_not_found');
    const invalid = validateMessage(parsed);
    if (invalid) return apiError(invalid);
    const metadata = parsed['metadata'];
    if (metadata !== undefined && metadataOf(parsed) === undefined) return apiError('invalid_metadata_format');
    const wait = limit?.take(channel);
    if (wait !== undefined) return withRetryAfter({ status: 429, body: { ok: false, error: 'ratelimited' }, error: 'ratelimited' }, wait);
    const msg = store({ channel, text: str(parsed['text']), blocks: blocksOf(parsed), metadata: metadataOf(parsed), via: 'api' });
    return { status: 200, body: { ok: true, channel, ts: msg.ts, message: { type: 'message', text: msg.text, ts: msg.ts } } };
  };

  const history = (req: IncomingMessage, body: string, url: URL, log: FakeHttpCall): FakeAnswer => {
    const auth = authError(req);
    if (auth) return apiError(auth);
    const params = req.method === 'POST' ? ((isJson(req) ? parseJson(body) : formToObject(body)) ?? {}) : Object.fromEntries(url.searchParams);
    const channel = str(params['channel']);
    log.target = channel;
    if (!scopes.has('channels:history')) return { status: 200, body: { ok: false, error: 'missing_scope', needed: 'channels:history' }, error: 'missing_scope' };
    if (!channel || !channels.has(channel)) return apiError('channel_not_found');
    const oldest = Number(params['oldest'] ?? 0);
    const latest = params['latest'] !== undefined ? Number(params['latest']) : Infinity;
    const limit = Math.min(999, Math.max(1, Number(params['limit'] ?? 100)));
    const withMeta = params['include_all_metadata'] === 'true' || params['include_all_metadata'] === true;
    const start = params['cursor'] ? Number(Buffer.from(str(params['cursor']) ?? '', 'base64').toString()) : 0;
    // Newest first, like Slack.
    const inRange = messages
      .filter((m) => m.channel === channel && Number(m.ts) > oldest && Number(m.ts) < latest)
      .reverse();
    const page = inRange.slice(start, start + limit);
    const more = start + limit < inRange.length;
    return {
      status: 200,
      body: {
        ok: true,
        messages: page.map((m) => ({ type: 'message', ts: m.ts, text: m.text, ...(withMeta && m.metadata ? { metadata: m.metadata } : {}) })),
        has_more: more,
        response_metadata: { next_cursor: more ? Buffer.from(String(start + limit)).toString('base64') : '' },
      },
    };
  };

  const authError = (req: IncomingMessage): string | undefined => {
    const header = req.headers.authorization;
    if (!header) return 'not_authed';
    return header === `Bearer ${token}` ? undefined : 'invalid_auth';
  };

  await server.listen();
  return {
    url: server.url,
    apiUrl: `${server.url}/api`,
    token,
    webhookUrl(channel) {
      const secret = randomBytes(12).toString('hex');
      hooks.set(secret, channel);
      return `${server.url}/services/T0FAKE/B0${channel}/${secret}`;
    },
    addChannel: (c) => void channels.add(c),
    removeChannel: (c) => void channels.delete(c),
    messages: (channel) => messages.filter((m) => channel === undefined || m.channel === channel),
    requests: () => server.requests(),
    fail: (channel, ...faults) => server.fail(channel, faults),
    nextRequest: (match, timeoutMs) => server.nextRequest(match, timeoutMs),
    close: () => server.close(),
  };
}

/**
 * Checks a message against Slack's Block Kit limits; returns Slack's error code
 * (`no_text`, `invalid_blocks`, `msg_too_long`) or undefined when Slack would accept it.
 */
export function validateSlackMessage(message: Record<string, unknown>): string | undefined {
  return validateMessage(message);
}

function validateMessage(m: Record<string, unknown>): string | undefined {
  const text = m['text'];
  const blocks = m['blocks'];
  if (text !== undefined && typeof text !== 'string') return 'invalid_payload';
  if (typeof text === 'string' && text.length > SLACK_LIMITS.messageTextChars) return 'msg_too_long';
  if (blocks === undefined) return typeof text === 'string' && text.trim() !== '' ? undefined : 'no_text';
  if (!Array.isArray(blocks) || blocks.length === 0 || blocks.length > SLACK_LIMITS.blocksPerMessage) return 'invalid_blocks';
  for (const b of blocks as unknown[]) if (!validBlock(b)) return 'invalid_blocks';
  return undefined;
}

function validBlock(b: unknown): boolean {
  if (!isObject(b) || typeof b['type'] !== 'string') return false;
  switch (b['type']) {
    case 'header':
      return isText(b['text'], SLACK_LIMITS.headerChars, 'plain_text');
    case 'section': {
      const fields = b['fields'];
      if (b['text'] === undefined && fields === undefined) return false;
      if (b['text'] !== undefined && !isText(b['text'], SLACK_LIMITS.textChars)) return false;
      if (fields !== undefined) {
        if (!Array.isArray(fields) || fields.length === 0 || fields.length > SLACK_LIMITS.sectionFields) return false;
        if (!fields.every((f) => isText(f, SLACK_LIMITS.fieldChars))) return false;
      }
      return true;
    }
    case 'context': {
      const el = b['elements'];
      return Array.isArray(el) && el.length > 0 && el.length <= SLACK_LIMITS.contextElements && el.every((e) => isText(e, SLACK_LIMITS.textChars));
    }
    case 'actions': {
      const el = b['elements'];
      return (
        Array.isArray(el) &&
        el.length > 0 &&
        el.length <= SLACK_LIMITS.actionElements &&
        el.every(
          (e) =>
            isObject(e) &&
            e['type'] === 'button' &&
            isText(e['text'], SLACK_LIMITS.buttonTextChars, 'plain_text') &&
            (e['url'] === undefined || (typeof e['url'] === 'string' && e['url'].length <= SLACK_LIMITS.urlChars)),
        )
      );
    }
    case 'divider':
      return true;
    default:
      return false;
  }
}

function isText(t: unknown, max: number, only?: 'plain_text' | 'mrkdwn'): boolean {
  if (!isObject(t) || typeof t['text'] !== 'string') return false;
  if (t['type'] !== 'plain_text' && t['type'] !== 'mrkdwn') return false;
  if (only && t['type'] !== only) return false;
  return t['text'].length >= 1 && t['text'].length <= max;
}

function metadataOf(m: Record<string, unknown>): FakeSlackMessage['metadata'] {
  let md = m['metadata'];
  if (typeof md === 'string') md = parseJson(md);
  if (!isObject(md) || typeof md['event_type'] !== 'string' || !isObject(md['event_payload'])) return undefined;
  return { event_type: md['event_type'], event_payload: md['event_payload'] };
}

function blocksOf(m: Record<string, unknown>): SlackBlock[] | undefined {
  return Array.isArray(m['blocks']) ? (m['blocks'] as SlackBlock[]) : undefined;
}

function webhookError(error: string): FakeAnswer {
  return { status: WEBHOOK_STATUS[error] ?? 400, body: error, error };
}

function apiError(error: string): FakeAnswer {
  return { status: 200, body: { ok: false, error }, error };
}

function withRetryAfter(a: { status: number; body: string | object; error?: string }, retryAfterS: number | undefined): FakeAnswer {
  return retryAfterS === undefined ? a : { ...a, headers: { 'retry-after': String(retryAfterS) } };
}

function statusText(status: number): string {
  return status >= 500 ? 'internal_error' : status === 429 ? 'rate_limited' : 'error';
}

function isJson(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').includes('application/json');
}

function parseJson(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function formToObject(body: string): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = k === 'blocks' ? parseJson(`{"b":${v}}`)?.['b'] : v;
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
