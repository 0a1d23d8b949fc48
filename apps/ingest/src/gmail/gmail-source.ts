import type { LoggerService } from '@nestjs/common';
// @googleapis/gmail: Google's generated Gmail client alone (not all of googleapis); its `auth`
// is google-auth-library's classes, through googleapis-common.
import { auth as googleAuth, gmail as gmailApi, type gmail_v1 } from '@googleapis/gmail';
import { CursorStoreError, SourceError } from '../errors';
import type { CursorStore, GmailCursor } from '../cursors/cursor-store';
import { senderAllowed, type NoticePublisher } from '../publishing/notice-publisher';
import { readSecret } from '../sources/secrets';
import type { SourceHealth } from '../sources/source-health';
import type { GmailSourceConfig } from '../sources/sources-file';
import { sleep, type MailSource } from '../sources/source-supervisor';

const DAY_MS = 24 * 3600 * 1000;
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const PAGE_SIZE = 500;
/** Messages fetched at once (in order of publishing): the API's latency, not the bus, is the limit. */
const FETCH_AHEAD = 8;

/** What a Gmail source needs besides its configuration. */
export interface GmailSourceDeps {
  publisher: NoticePublisher;
  cursors: CursorStore;
  health: SourceHealth;
  logger: LoggerService;
  lookbackDays: number;
}

/** The parts of a GaxiosError (googleapis' HTTP errors) that decide what happened. */
interface ApiError {
  message?: string;
  code?: string | number;
  status?: number;
  response?: { status?: number; headers?: { get?(name: string): string | null } | Record<string, string>; data?: unknown };
}

/**
 * One Gmail mailbox through the Gmail API. The first run lists the lookback (`after:`), later runs
 * read the history since the stored historyId (messageAdded), and an expired history id (404)
 * falls back to the lookback listing. Mails are fetched with format=raw and published as they are;
 * the cursor (historyId, in KV) moves only after all of them were acknowledged. 429, 5xx and the
 * 403 rate-limit answers are retried with backoff (Retry-After honoured) by the HTTP client itself;
 * a quota still exceeded after that is a 'quota' failure (the source backs off), never 'auth'.
 */
export class GmailSource implements MailSource {
  readonly name: string;
  private readonly lookbackDays: number;
  private readonly pollMs: number;

  constructor(
    private readonly config: GmailSourceConfig,
    private readonly deps: GmailSourceDeps,
  ) {
    this.name = config.name;
    this.lookbackDays = config.lookbackDays ?? deps.lookbackDays;
    this.pollMs = (config.pollIntervalSeconds ?? 30) * 1000;
  }

  private get account(): string {
    return this.config.serviceAccount?.impersonate ?? `OAuth client ${this.config.oauthClient?.clientId ?? ''}`;
  }

  async run(signal: AbortSignal): Promise<void> {
    const api = gmailApi({ version: 'v1', auth: await this.authClient(), rootUrl: this.config.rootUrl, retryConfig: this.retryConfig(signal) });
    const profile = (await api.users.getProfile({ userId: 'me' }, { signal })).data;
    const labelId = this.config.addLabel ? await this.ensureLabel(api, this.config.addLabel, signal) : undefined;
    if (!this.deps.health.isUp) this.deps.logger.log(`source ${this.name}: reading Gmail mailbox ${profile.emailAddress ?? this.account}, polling every ${this.pollMs / 1000} s`);
    while (!signal.aborted) {
      await this.sync(api, labelId, signal);
      if (signal.aborted) return;
      this.deps.health.markUp();
      await sleep(this.pollMs, signal);
    }
  }

  classify(err: unknown): SourceError {
    if (err instanceof SourceError) return err;
    if (err instanceof CursorStoreError) return new SourceError(this.name, 'publish', `${err.message}: ${(err.cause as Error)?.message ?? ''}`, { cause: err });
    const e = err as ApiError;
    const status = e?.status ?? e?.response?.status;
    const data = e?.response?.data as { error?: string | { message?: string }; error_description?: string } | undefined;
    const detail = typeof data?.error === 'string' ? `${data.error}${data.error_description ? `: ${data.error_description}` : ''}` : (data?.error?.message ?? e?.message ?? String(err));
    if (quotaReason(err)) {
      return new SourceError(this.name, 'quota', `Gmail API quota for ${this.account} exceeded (${status} ${quotaReason(err)}): ${detail}`, { cause: err });
    }
    if (status === 401 || status === 403 || (status === 400 && typeof data?.error === 'string')) {
      return new SourceError(this.name, 'auth', `Gmail refused the credentials of ${this.account} (${status}): ${detail}`, { cause: err });
    }
    if (status !== undefined) return new SourceError(this.name, 'server', `Gmail API answered ${status}: ${detail}`, { cause: err });
    return new SourceError(this.name, 'connect', `cannot reach ${this.config.rootUrl}: ${e?.message ?? String(err)}${e?.code ? ` (${e.code})` : ''}`, { cause: err });
  }

  private async authClient() {
    const scopes = [this.config.addLabel ? 'https://www.googleapis.com/auth/gmail.modify' : 'https://www.googleapis.com/auth/gmail.readonly'];
    const sa = this.config.serviceAccount;
    if (sa) {
      const text = await readSecret(this.name, 'service account credentials', { env: sa.credentialsEnv, file: sa.credentialsFile });
      let key: { client_email?: string; private_key?: string; token_uri?: string };
      try {
        key = JSON.parse(text) as typeof key;
      } catch {
        throw new SourceError(this.name, 'config', 'service account credentials are not JSON (expected the key file Google issues)');
      }
      if (!key.client_email || !key.private_key) throw new SourceError(this.name, 'config', 'service account credentials lack client_email or private_key');
      const jwt = new googleAuth.JWT({ email: key.client_email, key: key.private_key, scopes, subject: sa.impersonate });
      const tokenUrl = this.config.tokenUrl ?? key.token_uri ?? GOOGLE_TOKEN_URL;
      if (tokenUrl !== GOOGLE_TOKEN_URL) {
        // The JWT grant goes to a fixed Google URL (gtoken has no option for it); a request
        // interceptor on the client's own transport sends it to the configured endpoint.
        jwt.transporter.interceptors.request.add({
          resolved: async (request) => {
            if (request.url.toString() === GOOGLE_TOKEN_URL) request.url = new URL(tokenUrl);
            return request;
          },
        });
      }
      return jwt;
    }
    const oc = this.config.oauthClient;
    if (!oc) throw new SourceError(this.name, 'config', 'neither serviceAccount nor oauthClient is configured');
    const client = new googleAuth.OAuth2({
      clientId: oc.clientId,
      clientSecret: await readSecret(this.name, 'OAuth client secret', { env: oc.clientSecretEnv, file: oc.clientSecretFile }),
      endpoints: { oauth2TokenUrl: this.config.tokenUrl ?? GOOGLE_TOKEN_URL },
    });
    client.setCredentials({ refresh_token: await readSecret(this.name, 'OAuth refresh token', { env: oc.refreshTokenEnv, file: oc.refreshTokenFile }) });
    return client;
  }

  private retryConfig(signal: AbortSignal) {
    return {
      retry: 6,
      retryDelay: 200,
      retryDelayMultiplier: 2,
      maxRetryDelay: 30_000,
      noResponseRetries: 2,
      // messages.modify is idempotent and labels.create answers 409 when repeated.
      httpMethodsToRetry: ['GET', 'POST'],
      // Google answers a rate limit with 429 or with 403 userRateLimitExceeded / rateLimitExceeded;
      // gaxios retries by status only, and a 403 is mostly a refusal, so the reason decides.
      shouldRetry: (err: ApiError & { config?: { retryConfig?: { currentRetryAttempt?: number; retry?: number } } }) => {
        if (signal.aborted) return false;
        const attempt = err.config?.retryConfig?.currentRetryAttempt ?? 0;
        if (attempt >= (err.config?.retryConfig?.retry ?? 6)) return false;
        const status = err.status ?? err.response?.status;
        if (status === undefined) return attempt < 2 && (err as { code?: unknown }).code !== 'AbortError';
        return status === 429 || (status >= 500 && status <= 599) || RETRIED_QUOTA_REASONS.has(quotaReason(err) ?? '');
      },
      retryBackoff: async (err: ApiError, defaultMs: number) => {
        const after = retryAfterMs(err);
        await sleep(after ?? Math.round(defaultMs / 2 + (Math.random() * defaultMs) / 2), signal);
      },
      onRetryAttempt: (err: ApiError) => {
        this.deps.logger.debug?.(`source ${this.name}: Gmail API answered ${err.status ?? err.response?.status ?? err.code}; retrying`);
      },
    };
  }

  private async ensureLabel(api: gmail_v1.Gmail, name: string, signal: AbortSignal): Promise<string> {
    const find = async () => (await api.users.labels.list({ userId: 'me' }, { signal })).data.labels?.find((l) => l.name === name)?.id ?? undefined;
    const existing = await find();
    if (existing) return existing;
    try {
      const created = await api.users.labels.create({ userId: 'me', requestBody: { name, labelListVisibility: 'labelShow', messageListVisibility: 'show' } }, { signal });
      if (created.data.id) return created.data.id;
    } catch (err) {
      if ((err as ApiError).status !== 409) throw err;
    }
    const again = await find();
    if (!again) throw new SourceError(this.name, 'mailbox', `label "${name}" could not be created`);
    return again;
  }

  private async sync(api: gmail_v1.Gmail, labelId: string | undefined, signal: AbortSignal): Promise<void> {
    const cursor = await this.deps.cursors.getGmail(this.name);
    if (cursor) {
      const done = await this.incremental(api, cursor, labelId, signal);
      if (done) return this.deps.health.synced();
      this.deps.logger.warn(`source ${this.name}: Gmail history ${cursor.historyId} has expired (404): re-reading the last ${this.lookbackDays} days; mail published before is skipped`);
    } else {
      this.deps.logger.log(`source ${this.name}: first start: reading the last ${this.lookbackDays} days`);
    }
    await this.fullSync(api, labelId, signal);
    this.deps.health.synced();
  }

  /** Lists the lookback and publishes it; the history id taken before listing becomes the cursor. */
  private async fullSync(api: gmail_v1.Gmail, labelId: string | undefined, signal: AbortSignal): Promise<void> {
    const { historyId } = (await api.users.getProfile({ userId: 'me' }, { signal })).data;
    const after = Math.floor((Date.now() - this.lookbackDays * DAY_MS) / 1000);
    const ids: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = (
        await api.users.messages.list({ userId: 'me', q: `after:${after}`, labelIds: this.config.labelIds, maxResults: PAGE_SIZE, pageToken }, { signal })
      ).data;
      for (const m of page.messages ?? []) if (m.id) ids.push(m.id);
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken && !signal.aborted);
    // Listed newest first; published oldest first, as they arrived.
    ids.reverse();
    await this.publishMessages(api, ids, labelId, signal);
    if (historyId && !signal.aborted) await this.saveCursor(historyId);
  }

  /** Publishes the mails added since the cursor; false when the history id expired (404). */
  private async incremental(api: gmail_v1.Gmail, cursor: GmailCursor, labelId: string | undefined, signal: AbortSignal): Promise<boolean> {
    const ids: string[] = [];
    const seen = new Set<string>();
    let latest = cursor.historyId;
    let pageToken: string | undefined;
    // history.list filters by one label; any further ones are checked on each added message.
    const [historyLabel] = this.config.labelIds;
    try {
      do {
        const page = (
          await api.users.history.list(
            { userId: 'me', startHistoryId: cursor.historyId, historyTypes: ['messageAdded'], labelId: historyLabel, maxResults: PAGE_SIZE, pageToken },
            { signal },
          )
        ).data;
        for (const record of page.history ?? []) {
          for (const added of record.messagesAdded ?? []) {
            const m = added.message;
            if (!m?.id || seen.has(m.id)) continue;
            if (!this.config.labelIds.every((l) => m.labelIds?.includes(l))) continue;
            seen.add(m.id);
            ids.push(m.id);
          }
        }
        if (page.historyId) latest = page.historyId;
        pageToken = page.nextPageToken ?? undefined;
      } while (pageToken && !signal.aborted);
    } catch (err) {
      if ((err as ApiError).status === 404) return false;
      throw err;
    }
    await this.publishMessages(api, ids, labelId, signal);
    if (latest !== cursor.historyId && !signal.aborted) await this.saveCursor(latest);
    return true;
  }

  /** Publishes mails in the given order, fetching a few ahead. */
  private async publishMessages(api: gmail_v1.Gmail, ids: string[], labelId: string | undefined, signal: AbortSignal): Promise<void> {
    for (let i = 0; i < ids.length && !signal.aborted; i += FETCH_AHEAD) {
      const batch = await Promise.all(ids.slice(i, i + FETCH_AHEAD).map((id) => this.fetchRaw(api, id, signal)));
      for (const message of batch) {
        if (signal.aborted) return;
        if (message) await this.publishMessage(api, message, labelId, signal);
      }
    }
  }

  private async fetchRaw(api: gmail_v1.Gmail, id: string, signal: AbortSignal): Promise<gmail_v1.Schema$Message | undefined> {
    try {
      return (await api.users.messages.get({ userId: 'me', id, format: 'raw' }, { signal })).data;
    } catch (err) {
      if ((err as ApiError).status === 404) return undefined; // deleted since it was listed
      throw err;
    }
  }

  private async publishMessage(api: gmail_v1.Gmail, message: gmail_v1.Schema$Message, labelId: string | undefined, signal: AbortSignal): Promise<void> {
    const id = message.id ?? '';
    if (!message.raw) return;
    const health = this.deps.health;
    health.fetched();
    const raw = Buffer.from(message.raw, 'base64url');
    const notice = await this.deps.publisher.prepare(raw, this.name, this.config.senderHeader);
    if (!senderAllowed(notice.headers.sender, this.config.senderFilter)) {
      health.skipped('sender-filter');
      return;
    }
    const receivedAt = message.internalDate ? new Date(Number(message.internalDate)) : undefined;
    let result;
    try {
      result = await this.deps.publisher.publish(notice, { source: this.name, providerHint: this.config.providerHint, receivedAt });
    } catch (err) {
      throw new SourceError(this.name, 'publish', `notice ${notice.noticeId} (Gmail ${id}) was not acknowledged by JetStream: ${(err as Error).message}`, { cause: err });
    }
    if (result.status === 'published') health.published();
    else health.skipped('already-seen');
    if (labelId && !message.labelIds?.includes(labelId)) {
      await api.users.messages.modify({ userId: 'me', id, requestBody: { addLabelIds: [labelId] } }, { signal });
    }
  }

  private async saveCursor(historyId: string): Promise<void> {
    await this.deps.cursors.putGmail(this.name, { historyId });
  }
}

/** Quota answers retried at once with backoff; the daily ones wait for the source's reconnect backoff. */
const RETRIED_QUOTA_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded']);
const QUOTA_REASONS = new Set([...RETRIED_QUOTA_REASONS, 'dailyLimitExceeded', 'quotaExceeded']);

/** The usage-limit reason of a 403/429 Gmail error body (`error.errors[].reason`), if it is one. */
function quotaReason(err: unknown): string | undefined {
  const e = err as ApiError;
  const status = e?.status ?? e?.response?.status;
  if (status !== 403 && status !== 429) return undefined;
  const data = e?.response?.data as { error?: { errors?: { reason?: string }[] } } | undefined;
  const reasons = typeof data?.error === 'object' ? (data.error.errors ?? []).map((x) => x.reason ?? '') : [];
  return reasons.find((r) => QUOTA_REASONS.has(r));
}

/** Retry-After (seconds or an HTTP date) of a 429/503, capped at a minute. */
function retryAfterMs(err: ApiError): number | undefined {
  const headers = err.response?.headers;
  if (!headers) return undefined;
  const value = typeof headers.get === 'function' ? headers.get('retry-after') : (headers as Record<string, string>)['retry-after'];
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 60_000) : undefined;
}
