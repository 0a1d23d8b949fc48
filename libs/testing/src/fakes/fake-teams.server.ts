// A local server that behaves like a Microsoft Teams Workflows (or legacy incoming) webhook:
// it takes a message with one Adaptive Card attachment, refuses payloads over Teams' size
// limit (28 KB) and malformed cards, throttles with 429 + Retry-After, and answers 202.
import { randomBytes } from 'node:crypto';
import { ScriptedHttpServer, FakeRateLimit, type FakeAnswer, type FakeFault, type FakeHttpCall } from './scripted-http.server';

/** Teams' limit on a webhook message, in bytes of the JSON body. */
export const TEAMS_MAX_PAYLOAD_BYTES = 28 * 1024;

/** Options of the fake Teams. */
export interface FakeTeamsOptions {
  /** Default 28 KB, as Teams. */
  maxPayloadBytes?: number;
  /** Throttling per webhook: beyond it, 429 with Retry-After. Off unless given. */
  rateLimit?: { perSecond: number; burst?: number };
}

/** A card Teams accepted. */
export interface FakeTeamsPost {
  webhook: string;
  /** The Adaptive Card (attachments[0].content). */
  card: Record<string, unknown>;
  bytes: number;
  receivedAt: number;
}

/** A running fake Teams. */
export interface FakeTeams {
  readonly url: string;
  /** A Workflows webhook URL for the channel `name` (with a random signature part). */
  webhookUrl(name: string): string;
  /** Cards accepted, in order; one webhook or all. */
  posts(name?: string): FakeTeamsPost[];
  /** Every HTTP request received. */
  requests(): FakeHttpCall[];
  /** Scripts the next posts to webhook `name`. */
  fail(name: string, ...faults: FakeFault[]): void;
  /** Resolves with the first request matching (already received or future). */
  nextRequest(match?: (r: FakeHttpCall) => boolean, timeoutMs?: number): Promise<FakeHttpCall>;
  close(): Promise<void>;
}

/** Starts a fake Teams on a free loopback port. */
export async function startFakeTeams(options: FakeTeamsOptions = {}): Promise<FakeTeams> {
  const max = options.maxPayloadBytes ?? TEAMS_MAX_PAYLOAD_BYTES;
  const hooks = new Map<string, string>(); // path id -> name
  const posts: FakeTeamsPost[] = [];
  const limit = options.rateLimit ? new FakeRateLimit(options.rateLimit.perSecond, options.rateLimit.burst) : undefined;

  const server: ScriptedHttpServer = new ScriptedHttpServer((req, body, url, log): FakeAnswer => {
    const id = url.pathname.split('/').filter(Boolean)[1];
    const name = id === undefined ? undefined : hooks.get(id);
    if (req.method !== 'POST' || !url.pathname.startsWith('/workflows/') || name === undefined) {
      return { status: 404, body: { error: { code: 'WorkflowNotFound', message: 'The workflow could not be found.' } } };
    }
    log.target = name;
    const bytes = Buffer.byteLength(body, 'utf8');
    const card = cardOf(body);
    const fault = server.takeFault(name);
    if (fault && 'hang' in fault) {
      if (fault.hang === 'after-store' && card && bytes <= max) posts.push({ webhook: name, card, bytes, receivedAt: Date.now() });
      return { hang: true };
    }
    if (fault) {
      const status = fault.status ?? 400;
      const answer: FakeAnswer = { status, body: { error: { code: fault.error ?? String(status), message: 'scripted' } }, error: fault.error };
      return fault.retryAfterS === undefined ? answer : { ...answer, headers: { 'retry-after': String(fault.retryAfterS) } };
    }
    if (bytes > max) {
      return { status: 413, body: { error: { code: 'MessageSizeTooLarge', message: `Message size ${bytes} exceeds ${max} bytes` } }, error: 'MessageSizeTooLarge' };
    }
    if (!card) {
      return { status: 400, body: { error: { code: 'InvalidRequestContent', message: 'No Adaptive Card attachment' } }, error: 'InvalidRequestContent' };
    }
    const wait = limit?.take(name);
    if (wait !== undefined) {
      return { status: 429, headers: { 'retry-after': String(wait) }, body: { error: { code: 'TooManyRequests', message: 'Rate limit is exceeded.' } }, error: 'TooManyRequests' };
    }
    posts.push({ webhook: name, card, bytes, receivedAt: Date.now() });
    return { status: 202, body: '' };
  });

  await server.listen();
  return {
    url: server.url,
    webhookUrl(name) {
      const id = randomBytes(16).toString('hex');
      hooks.set(id, name);
      return `${server.url}/workflows/${id}/triggers/manual/paths/invoke?api-version=2016-06-01&sig=${randomBytes(12).toString('hex')}`;
    },
    posts: (name) => posts.filter((p) => name === undefined || p.webhook === name),
    requests: () => server.requests(),
    fail: (name, ...faults) => server.fail(name, faults),
    nextRequest: (match, timeoutMs) => server.nextRequest(match, timeoutMs),
    close: () => server.close(),
  };
}

// The shape Teams Workflows' "post card when a webhook request is received" takes.
function cardOf(body: string): Record<string, unknown> | undefined {
  let msg: unknown;
  try {
    msg = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(msg) || msg['type'] !== 'message' || !Array.isArray(msg['attachments']) || msg['attachments'].length === 0) return undefined;
  const att: unknown = msg['attachments'][0];
  if (!isObject(att) || att['contentType'] !== 'application/vnd.microsoft.card.adaptive') return undefined;
  const card = att['content'];
  if (!isObject(card) || card['type'] !== 'AdaptiveCard' || typeof card['version'] !== 'string' || !Array.isArray(card['body'])) return undefined;
  return card;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
