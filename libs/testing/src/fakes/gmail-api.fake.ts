// A local stand-in for the Gmail API and Google's OAuth token endpoint, for ingest tests. It keeps
// real mailboxes in memory and answers the endpoints a mail reader uses the way Google does:
// newest-first listing with page tokens, history records after a start id and 404 once that id is
// too old, labels (system and user, 409 on a duplicate name), messages.modify recording history,
// Google's JSON error bodies, Bearer tokens checked per user, and injectable 429, 403 usage-limit
// (userRateLimitExceeded, rateLimitExceeded) and 5xx answers with Retry-After. Tokens come from
// POST /token: the refresh-token grant of an OAuth client, or the JWT-bearer grant of a service account (signature checked, domain-wide delegation by domain).
import { createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { formFields, jsonBody, startFakeHttpServer, type FakeReply, type FakeRequest } from './http-fake';

/** The audience gtoken (google-auth-library) puts in a service account's JWT. */
const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
const SYSTEM_LABELS = ['INBOX', 'SENT', 'DRAFT', 'SPAM', 'TRASH', 'UNREAD', 'STARRED', 'IMPORTANT', 'CATEGORY_UPDATES'];

/** A service account key as Google issues it (the JSON file). */
export interface ServiceAccountKey {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  token_uri: string;
}

/** A fault to answer instead of the real response. */
export interface GmailFault {
  /** HTTP status: 429 (rate limit), 403 (with `reason`: a usage limit, else a refusal), 500, 503, ... */
  status: number;
  /**
   * Google's reason in the error body. With 403 Gmail says `userRateLimitExceeded` (per-user
   * quota), `rateLimitExceeded` (the project's) or `dailyLimitExceeded`: quota, not credentials.
   */
  reason?: 'userRateLimitExceeded' | 'rateLimitExceeded' | 'dailyLimitExceeded';
  /** How many matching requests get it (default 1). */
  count?: number;
  /** Only requests whose path matches (default: every Gmail API request, not /token). */
  path?: RegExp;
  /** Only requests authenticated as this user (several sources may read the same paths as `me`). */
  user?: string;
  /** Seconds sent in Retry-After. */
  retryAfterS?: number;
}

/** The fake Gmail API with its OAuth token endpoint. */
export interface FakeGmailHandle {
  /** Give this to googleapis as `rootUrl` (ends with '/'). */
  readonly rootUrl: string;
  /** The OAuth token endpoint (refresh-token and JWT-bearer grants). */
  readonly tokenUrl: string;
  /** Every request answered (method, path and query, status). */
  readonly requests: FakeRequest[];
  /** Registers an OAuth client whose refresh token reads `user`'s mailbox. */
  addOAuthClient(client: { clientId: string; clientSecret: string; refreshToken: string; user: string }): void;
  /** Creates a service account allowed to impersonate users of `domains` (domain-wide delegation). */
  addServiceAccount(options: { email: string; domains: readonly string[] }): ServiceAccountKey;
  /** Delivers a mail to `user`'s mailbox (labels default to INBOX + UNREAD); returns its id. */
  addMessage(user: string, raw: string | Buffer, options?: { labelIds?: readonly string[]; internalDate?: Date }): string;
  /** Deletes a message for good (a later get answers 404). */
  deleteMessage(user: string, id: string): void;
  /** Label names of a message. */
  messageLabelNames(user: string, id: string): string[];
  /** The mailbox's current history id. */
  historyId(user: string): string;
  /** Drops every history record: a start id older than the current one then answers 404. */
  expireHistory(user: string): void;
  /** Answers the next matching requests with an error instead (429 with Retry-After, 5xx). */
  failNext(fault: GmailFault): void;
  /** Makes every access token issued so far invalid (401), as when they expire. */
  revokeAccessTokens(): void;
  stop(): Promise<void>;
}

interface StoredMessage {
  id: string;
  threadId: string;
  raw: Buffer;
  labelIds: Set<string>;
  internalDate: number;
  historyId: number;
}

interface HistoryRecord {
  id: number;
  messages: { id: string; threadId: string }[];
  messagesAdded?: { message: { id: string; threadId: string; labelIds: string[] } }[];
  labelsAdded?: { message: { id: string; threadId: string; labelIds: string[] }; labelIds: string[] }[];
  labelsRemoved?: { message: { id: string; threadId: string; labelIds: string[] }; labelIds: string[] }[];
  messagesDeleted?: { message: { id: string; threadId: string; labelIds: string[] } }[];
}

interface Mailbox {
  email: string;
  messages: Map<string, StoredMessage>;
  history: HistoryRecord[];
  historyId: number;
  /** A start id below this answers 404. */
  oldestHistoryId: number;
  labels: Map<string, { id: string; name: string; type: 'system' | 'user' }>;
  nextLabel: number;
}

/** Starts the fake Gmail API and token endpoint on a free loopback port. */
export async function startFakeGmail(): Promise<FakeGmailHandle> {
  const mailboxes = new Map<string, Mailbox>();
  const accessTokens = new Map<string, { user: string; exp: number }>();
  const clients = new Map<string, { secret: string; refreshTokens: Map<string, string> }>();
  const serviceAccounts = new Map<string, { publicKey: KeyObject; domains: readonly string[] }>();
  const faults: (GmailFault & { left: number })[] = [];
  // Ids grow like Gmail's (hex, time-ordered), so sorting by id is sorting by arrival.
  let idCounter = 0x18c0000000000000n;
  // Every mailbox starts at a different history id, as real ones do.
  let historyBase = 100_000;

  const mailbox = (email: string): Mailbox => {
    const key = email.toLowerCase();
    let box = mailboxes.get(key);
    if (!box) {
      historyBase += 10_000;
      box = { email: key, messages: new Map(), history: [], historyId: historyBase, oldestHistoryId: 0, labels: new Map(), nextLabel: 1 };
      for (const id of SYSTEM_LABELS) box.labels.set(id, { id, name: id, type: 'system' });
      mailboxes.set(key, box);
    }
    return box;
  };

  const server = await startFakeHttpServer(async (req, body, url) => {
    if (url.pathname === '/token') return tokenEndpoint(req, body);
    const m = /^\/gmail\/v1\/users\/([^/]+)\/(.+)$/.exec(url.pathname);
    const user = m ? authenticate(req, decodeURIComponent(m[1])) : undefined;
    const fault = takeFault(url.pathname, user && !('status' in user) ? user.box.email : undefined);
    if (fault) return fault;
    if (!m || !user) return googleError(404, 'NOT_FOUND', 'notFound', 'Not Found');
    if ('status' in user) return user;
    return gmailEndpoint(req.method ?? 'GET', m[2], url, body, user.box);
  });
  const rootUrl = `${server.baseUrl}/`;

  function takeFault(path: string, user: string | undefined): FakeReply | undefined {
    const i = faults.findIndex((f) => f.left > 0 && (f.path ? f.path.test(path) : true) && (f.user ? f.user.toLowerCase() === user : true));
    if (i < 0) return undefined;
    const f = faults[i];
    f.left--;
    if (f.left === 0) faults.splice(i, 1);
    const headers: Record<string, string> = f.retryAfterS !== undefined ? { 'retry-after': String(f.retryAfterS) } : {};
    if (f.status === 429) {
      return { ...googleError(429, 'RESOURCE_EXHAUSTED', f.reason ?? 'rateLimitExceeded', 'Too many concurrent requests for user.', 'usageLimits'), headers };
    }
    if (f.status === 403 && f.reason) {
      const message = { userRateLimitExceeded: 'User Rate Limit Exceeded', rateLimitExceeded: 'Rate Limit Exceeded', dailyLimitExceeded: 'Daily Limit Exceeded' }[f.reason];
      return { ...googleError(403, 'PERMISSION_DENIED', f.reason, message, 'usageLimits'), headers };
    }
    if (f.status === 403) return { ...googleError(403, 'PERMISSION_DENIED', 'forbidden', 'The caller does not have permission'), headers };
    return { ...googleError(f.status, f.status === 503 ? 'UNAVAILABLE' : 'INTERNAL', 'backendError', 'Backend Error'), headers };
  }

  function authenticate(req: IncomingMessage, userId: string): { box: Mailbox } | FakeReply {
    const auth = req.headers.authorization ?? '';
    const token = /^Bearer (.+)$/.exec(auth)?.[1];
    const entry = token ? accessTokens.get(token) : undefined;
    if (!entry || entry.exp <= Date.now()) {
      return {
        ...googleError(401, 'UNAUTHENTICATED', 'authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.'),
        headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
      };
    }
    if (userId !== 'me' && userId.toLowerCase() !== entry.user) return googleError(403, 'PERMISSION_DENIED', 'forbidden', `Delegation denied for ${entry.user}`);
    if (serviceAccounts.has(entry.user)) return googleError(400, 'FAILED_PRECONDITION', 'failedPrecondition', 'Precondition check failed.');
    return { box: mailbox(entry.user) };
  }

  function tokenEndpoint(req: IncomingMessage, body: Buffer): FakeReply {
    if (req.method !== 'POST') return { status: 405, body: { error: 'invalid_request' } };
    const form = formFields(body);
    const json = jsonBody(body) as Record<string, string> | undefined;
    const field = (name: string) => form.get(name) ?? json?.[name] ?? undefined;
    const grant = field('grant_type');
    if (grant === 'refresh_token') {
      const client = clients.get(field('client_id') ?? '');
      if (!client || client.secret !== field('client_secret')) {
        return { status: 401, body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' } };
      }
      const user = client.refreshTokens.get(field('refresh_token') ?? '');
      if (!user) return { status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } };
      return { status: 200, body: issue(user, 'https://www.googleapis.com/auth/gmail.modify') };
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const claims = verifyAssertion(field('assertion') ?? '');
      if (!claims) return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } };
      const account = serviceAccounts.get(claims.iss);
      if (!account) return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid grant: account not found' } };
      if (claims.sub && !account.domains.includes(claims.sub.split('@')[1]?.toLowerCase() ?? '')) {
        return {
          status: 401,
          body: {
            error: 'unauthorized_client',
            error_description: 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
          },
        };
      }
      return { status: 200, body: issue(claims.sub ?? claims.iss, claims.scope ?? '') };
    }
    return { status: 400, body: { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${grant ?? ''}` } };
  }

  function issue(user: string, scope: string): Record<string, unknown> {
    const token = `ya29.${randomBytes(24).toString('base64url')}`;
    accessTokens.set(token, { user: user.toLowerCase(), exp: Date.now() + 3599_000 });
    return { access_token: token, expires_in: 3599, scope, token_type: 'Bearer' };
  }

  function verifyAssertion(assertion: string): { iss: string; sub?: string; scope?: string } | undefined {
    const parts = assertion.split('.');
    if (parts.length !== 3) return undefined;
    let claims: { iss?: string; sub?: string; scope?: string; aud?: string; exp?: number };
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return undefined;
    }
    const account = claims.iss ? serviceAccounts.get(claims.iss) : undefined;
    if (!account || !claims.iss) return undefined;
    const ok = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), account.publicKey, Buffer.from(parts[2], 'base64url'));
    const audOk = claims.aud === GOOGLE_TOKEN_AUDIENCE || claims.aud === `${server.baseUrl}/token`;
    if (!ok || !audOk || !claims.exp || claims.exp * 1000 < Date.now()) return undefined;
    return { iss: claims.iss, sub: claims.sub, scope: claims.scope };
  }

  function gmailEndpoint(method: string, rest: string, url: URL, body: Buffer, box: Mailbox): FakeReply {
    const q = url.searchParams;
    if (method === 'GET' && rest === 'profile') {
      return { status: 200, body: { emailAddress: box.email, messagesTotal: box.messages.size, threadsTotal: box.messages.size, historyId: String(box.historyId) } };
    }
    if (method === 'GET' && rest === 'messages') return listMessages(box, q);
    const get = /^messages\/([^/]+)$/.exec(rest);
    if (method === 'GET' && get) return getMessage(box, get[1], q.get('format') ?? 'full');
    const modify = /^messages\/([^/]+)\/modify$/.exec(rest);
    if (method === 'POST' && modify) return modifyMessage(box, modify[1], jsonBody(body) as { addLabelIds?: string[]; removeLabelIds?: string[] } | undefined);
    if (method === 'GET' && rest === 'history') return listHistory(box, q);
    if (method === 'GET' && rest === 'labels') return { status: 200, body: { labels: [...box.labels.values()] } };
    if (method === 'POST' && rest === 'labels') return createLabel(box, jsonBody(body) as { name?: string } | undefined);
    return googleError(404, 'NOT_FOUND', 'notFound', 'Not Found');
  }

  function listMessages(box: Mailbox, q: URLSearchParams): FakeReply {
    const max = pageSize(q.get('maxResults'), 100);
    if (typeof max !== 'number') return max;
    const labelIds = q.getAll('labelIds');
    const includeSpamTrash = q.get('includeSpamTrash') === 'true';
    const filter = parseQuery(box, q.get('q') ?? '');
    if ('status' in filter) return filter;
    const all = [...box.messages.values()]
      .filter((m) => labelIds.every((l) => m.labelIds.has(l)))
      .filter((m) => includeSpamTrash || (!m.labelIds.has('SPAM') && !m.labelIds.has('TRASH')))
      .filter(filter.test)
      .sort((a, b) => b.internalDate - a.internalDate || (BigInt(`0x${b.id}`) > BigInt(`0x${a.id}`) ? 1 : -1));
    let start = 0;
    const token = q.get('pageToken');
    if (token) {
      const after = decodeToken(token);
      if (after === undefined) return googleError(400, 'INVALID_ARGUMENT', 'invalidArgument', 'Invalid pageToken');
      start = all.findIndex((m) => m.id === after) + 1;
    }
    const page = all.slice(start, start + max);
    const more = start + max < all.length;
    return {
      status: 200,
      body: {
        ...(page.length ? { messages: page.map((m) => ({ id: m.id, threadId: m.threadId })) } : {}),
        ...(more ? { nextPageToken: encodeToken(page[page.length - 1].id) } : {}),
        resultSizeEstimate: all.length,
      },
    };
  }

  function getMessage(box: Mailbox, id: string, format: string): FakeReply {
    const m = box.messages.get(id);
    if (!m) return googleError(404, 'NOT_FOUND', 'notFound', 'Requested entity was not found.');
    const base = {
      id: m.id,
      threadId: m.threadId,
      labelIds: [...m.labelIds],
      snippet: snippet(m.raw),
      historyId: String(m.historyId),
      internalDate: String(m.internalDate),
      sizeEstimate: m.raw.length,
    };
    if (format === 'raw') return { status: 200, body: { ...base, raw: m.raw.toString('base64url') } };
    if (format === 'minimal') return { status: 200, body: base };
    return googleError(400, 'INVALID_ARGUMENT', 'invalidArgument', `this fake serves format=raw and format=minimal, not ${format}`);
  }

  function modifyMessage(box: Mailbox, id: string, req: { addLabelIds?: string[]; removeLabelIds?: string[] } | undefined): FakeReply {
    const m = box.messages.get(id);
    if (!m) return googleError(404, 'NOT_FOUND', 'notFound', 'Requested entity was not found.');
    const add = req?.addLabelIds ?? [];
    const remove = req?.removeLabelIds ?? [];
    for (const l of [...add, ...remove]) {
      if (!box.labels.has(l)) return googleError(400, 'INVALID_ARGUMENT', 'invalidArgument', `Invalid label: ${l}`);
    }
    const added = add.filter((l) => !m.labelIds.has(l));
    const removed = remove.filter((l) => m.labelIds.has(l));
    for (const l of added) m.labelIds.add(l);
    for (const l of removed) m.labelIds.delete(l);
    if (added.length || removed.length) {
      const record: HistoryRecord = { id: ++box.historyId, messages: [{ id: m.id, threadId: m.threadId }] };
      const ref = { id: m.id, threadId: m.threadId, labelIds: [...m.labelIds] };
      if (added.length) record.labelsAdded = [{ message: ref, labelIds: added }];
      if (removed.length) record.labelsRemoved = [{ message: ref, labelIds: removed }];
      box.history.push(record);
      m.historyId = box.historyId;
    }
    return { status: 200, body: { id: m.id, threadId: m.threadId, labelIds: [...m.labelIds] } };
  }

  function listHistory(box: Mailbox, q: URLSearchParams): FakeReply {
    const start = q.get('startHistoryId');
    if (!start || !/^\d+$/.test(start)) return googleError(400, 'INVALID_ARGUMENT', 'invalidArgument', 'Invalid startHistoryId');
    const startId = Number(start);
    if (startId < box.oldestHistoryId) return googleError(404, 'NOT_FOUND', 'notFound', 'Requested entity was not found.');
    const max = pageSize(q.get('maxResults'), 100);
    if (typeof max !== 'number') return max;
    const types = q.getAll('historyTypes');
    const labelId = q.get('labelId');
    const token = q.get('pageToken');
    const after = token ? Number(decodeToken(token)) : startId;
    if (Number.isNaN(after)) return googleError(400, 'INVALID_ARGUMENT', 'invalidArgument', 'Invalid pageToken');
    const matching = box.history
      .filter((r) => r.id > after)
      .map((r) => narrow(r, types, labelId))
      .filter((r): r is HistoryRecord => r !== undefined);
    const page = matching.slice(0, max);
    const more = matching.length > max;
    return {
      status: 200,
      body: {
        ...(page.length ? { history: page } : {}),
        ...(more ? { nextPageToken: encodeToken(String(page[page.length - 1].id)) } : {}),
        historyId: String(box.historyId),
      },
    };
  }

  function createLabel(box: Mailbox, req: { name?: string } | undefined): FakeReply {
    const name = req?.name?.trim();
    if (!name) return googleError(400, 'INVALID_ARGUMENT', 'invalidArgument', 'Invalid label name');
    if ([...box.labels.values()].some((l) => l.name.toLowerCase() === name.toLowerCase())) {
      return googleError(409, 'ALREADY_EXISTS', 'duplicate', 'Label name exists or conflicts');
    }
    const label = { id: `Label_${box.nextLabel++}`, name, type: 'user' as const };
    box.labels.set(label.id, label);
    return { status: 200, body: { ...label, messageListVisibility: 'show', labelListVisibility: 'labelShow' } };
  }

  function parseQuery(box: Mailbox, query: string): { test: (m: StoredMessage) => boolean } | FakeReply {
    const tests: ((m: StoredMessage) => boolean)[] = [];
    for (const term of query.split(/\s+/).filter(Boolean)) {
      const t = /^(after|before|newer|older|in|label):(.+)$/i.exec(term);
      if (!t) {
        const needle = term.toLowerCase();
        tests.push((m) => m.raw.toString('latin1').toLowerCase().includes(needle));
        continue;
      }
      const [, op, value] = t;
      if (/^(after|before|newer|older)$/i.test(op)) {
        const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value.replace(/\//g, '-'));
        if (Number.isNaN(ms)) return googleError(400, 'INVALID_ARGUMENT', 'invalidArgument', `Invalid query: ${term}`);
        tests.push(/^(after|newer)$/i.test(op) ? (m) => m.internalDate >= ms : (m) => m.internalDate < ms);
      } else {
        const label = [...box.labels.values()].find((l) => l.name.toLowerCase() === value.toLowerCase() || l.id.toLowerCase() === value.toLowerCase());
        tests.push((m) => (label ? m.labelIds.has(label.id) : false));
      }
    }
    return { test: (m) => tests.every((t) => t(m)) };
  }

  return {
    rootUrl,
    tokenUrl: `${server.baseUrl}/token`,
    requests: server.requests,
    addOAuthClient({ clientId, clientSecret, refreshToken, user }) {
      const client = clients.get(clientId) ?? { secret: clientSecret, refreshTokens: new Map<string, string>() };
      client.refreshTokens.set(refreshToken, user.toLowerCase());
      clients.set(clientId, client);
      mailbox(user);
    },
    addServiceAccount({ email, domains }) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      serviceAccounts.set(email, { publicKey: createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })), domains: domains.map((d) => d.toLowerCase()) });
      return {
        type: 'service_account',
        project_id: 'maintwatch-test',
        private_key_id: randomBytes(20).toString('hex'),
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        client_email: email,
        client_id: String(100_000_000_000_000_000_000n + BigInt(serviceAccounts.size)),
        token_uri: `${server.baseUrl}/token`,
      };
    },
    addMessage(user, raw, options = {}) {
      const box = mailbox(user);
      const id = (idCounter += BigInt(1 + Math.floor(Math.random() * 1000))).toString(16);
      const labels = new Set(options.labelIds ?? ['INBOX', 'UNREAD']);
      for (const l of labels) if (!box.labels.has(l)) throw new Error(`no label ${l} in ${user}'s mailbox`);
      const m: StoredMessage = {
        id,
        threadId: id,
        raw: Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8'),
        labelIds: labels,
        internalDate: (options.internalDate ?? new Date()).getTime(),
        historyId: ++box.historyId,
      };
      box.messages.set(id, m);
      box.history.push({ id: m.historyId, messages: [{ id, threadId: id }], messagesAdded: [{ message: { id, threadId: id, labelIds: [...labels] } }] });
      return id;
    },
    deleteMessage(user, id) {
      const box = mailbox(user);
      const m = box.messages.get(id);
      if (!m) return;
      box.messages.delete(id);
      box.history.push({ id: ++box.historyId, messages: [{ id, threadId: m.threadId }], messagesDeleted: [{ message: { id, threadId: m.threadId, labelIds: [...m.labelIds] } }] });
    },
    messageLabelNames(user, id) {
      const box = mailbox(user);
      const m = box.messages.get(id);
      if (!m) throw new Error(`no message ${id} in ${user}'s mailbox`);
      return [...m.labelIds].map((l) => box.labels.get(l)?.name ?? l);
    },
    historyId: (user) => String(mailbox(user).historyId),
    expireHistory(user) {
      const box = mailbox(user);
      box.history = [];
      box.oldestHistoryId = box.historyId;
    },
    failNext(fault) {
      faults.push({ ...fault, left: fault.count ?? 1 });
    },
    revokeAccessTokens() {
      accessTokens.clear();
    },
    stop: () => server.stop(),
  };
}

/** Google's JSON error body. */
function googleError(code: number, status: string, reason: string, message: string, domain = 'global'): FakeReply {
  return { status: code, body: { error: { code, message, errors: [{ message, domain, reason }], status } } };
}

function pageSize(value: string | null, fallback: number): number | FakeReply {
  if (value === null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) return googleError(400, 'INVALID_ARGUMENT', 'invalidArgument', `Invalid maxResults: ${value}`);
  return Math.min(n, 500);
}

function encodeToken(value: string): string {
  return Buffer.from(`p:${value}`).toString('base64url');
}

function decodeToken(token: string): string | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  return text.startsWith('p:') ? text.slice(2) : undefined;
}

/** A history record as history.list returns it for the asked types and label, or undefined when nothing is left. */
function narrow(record: HistoryRecord, types: string[], labelId: string | null): HistoryRecord | undefined {
  const want = (t: string) => types.length === 0 || types.includes(t);
  const hasLabel = (labels: string[]) => labelId === null || labels.includes(labelId);
  const out: HistoryRecord = { id: record.id, messages: record.messages };
  if (want('messageAdded') && record.messagesAdded) {
    const list = record.messagesAdded.filter((a) => hasLabel(a.message.labelIds));
    if (list.length) out.messagesAdded = list;
  }
  if (want('labelAdded') && record.labelsAdded) {
    const list = record.labelsAdded.filter((a) => hasLabel(a.message.labelIds));
    if (list.length) out.labelsAdded = list;
  }
  if (want('labelRemoved') && record.labelsRemoved) out.labelsRemoved = record.labelsRemoved;
  if (want('messageDeleted') && record.messagesDeleted) out.messagesDeleted = record.messagesDeleted;
  return out.messagesAdded || out.labelsAdded || out.labelsRemoved || out.messagesDeleted ? out : undefined;
}

function snippet(raw: Buffer): string {
  const text = raw.toString('utf8');
  const body = text.slice(Math.max(0, text.indexOf('\r\n\r\n')) + 4);
  return body.replace(/\s+/g, ' ').trim().slice(0, 100);
}
