import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import type { LoggerService } from '@nestjs/common';
import { ImapFlow, type FetchMessageObject, type ImapFlowError, type ImapFlowOptions } from 'imapflow';
import { PublishError } from '@maintwatch/messaging';
import { CursorStoreError, SourceError } from '../errors';
import type { CursorStore, ImapCursor } from '../cursors/cursor-store';
import { MAX_HEADER_BLOCK, senderAllowed, type NoticePublisher } from '../publishing/notice-publisher';
import { readSecret } from '../sources/secrets';
import type { SourceHealth } from '../sources/source-health';
import type { ImapSourceConfig } from '../sources/sources-file';
import type { MailSource } from '../sources/source-supervisor';

const DAY_MS = 24 * 3600 * 1000;
/** Mails fetched per FETCH: bounds memory (one 25 MB mail is fetched on its own). */
const FETCH_BATCH_BYTES = 16 * 1024 * 1024;
const FETCH_BATCH_COUNT = 50;
/** IMAP servers drop an IDLE after 30 minutes (RFC 2177): it is restarted before that. */
const MAX_IDLE_MS = 20 * 60 * 1000;

/** What an IMAP source needs besides its configuration. */
export interface ImapSourceDeps {
  publisher: NoticePublisher;
  cursors: CursorStore;
  health: SourceHealth;
  logger: LoggerService;
  lookbackDays: number;
}

type WaitResult = 'change' | 'poll' | 'closed' | 'aborted';

/**
 * One IMAP mailbox. A session logs in, opens the mailbox (read-only unless an after-publish action
 * needs to write), catches up from the cursor, then waits in IDLE (or polls) for new mail. Each
 * mail is published and only then is the cursor (UIDVALIDITY + last UID, in KV) moved past it, so
 * a crash at any point resumes at the first mail not yet acknowledged by JetStream. Mail is read
 * with BODY.PEEK: nothing is marked as read.
 */
export class ImapSource implements MailSource {
  readonly name: string;
  private readonly lookbackDays: number;
  private readonly pollMs: number;
  private warnedInsecure = false;

  constructor(
    private readonly config: ImapSourceConfig,
    private readonly deps: ImapSourceDeps,
  ) {
    this.name = config.name;
    this.lookbackDays = config.lookbackDays ?? deps.lookbackDays;
    this.pollMs = (config.pollIntervalSeconds ?? 60) * 1000;
  }

  private get endpoint(): string {
    return `${this.config.host}:${this.port}`;
  }

  private get port(): number {
    return this.config.port ?? (this.config.security === 'tls' ? 993 : 143);
  }

  async run(signal: AbortSignal): Promise<void> {
    this.warnInsecure();
    const client = new ImapFlow(await this.clientOptions());
    const session = new Session(client);
    // A shutdown must not wait for a connect to an unreachable server to time out.
    const abortConnect = () => client.close();
    signal.addEventListener('abort', abortConnect, { once: true });
    try {
      try {
        await client.connect();
      } finally {
        signal.removeEventListener('abort', abortConnect);
      }
      if (signal.aborted) return;
      await this.prepareTarget(client);
      await client.mailboxOpen(this.config.mailbox, { readOnly: this.config.afterPublish.action === 'none' });
      const push = this.config.idle && client.capabilities.has('IDLE');
      let cursor = await this.deps.cursors.getImap(this.name, this.config.mailbox);
      cursor = await this.sync(client, cursor, signal);
      this.deps.health.setIdle(push);
      if (!this.deps.health.isUp) {
        const how = push ? 'IDLE (push)' : `polling every ${this.pollMs / 1000} s`;
        this.deps.logger.log(`source ${this.name}: reading ${this.config.user}@${this.endpoint} mailbox "${this.config.mailbox}" with ${how}`);
      }
      this.deps.health.markUp();
      for (;;) {
        const why = await session.waitForChange(push, Math.min(this.pollMs, MAX_IDLE_MS), signal);
        if (why === 'aborted') return;
        if (why === 'closed') {
          throw new SourceError(this.name, 'connect', `connection to ${this.endpoint} closed by the server${client.byeReason ? ` (${client.byeReason})` : ''}`);
        }
        cursor = await this.sync(client, cursor, signal);
      }
    } finally {
      session.dispose();
      await closeQuietly(client);
    }
  }

  classify(err: unknown): SourceError {
    if (err instanceof SourceError) return err;
    if (err instanceof PublishError || err instanceof CursorStoreError) return new SourceError(this.name, 'publish', causeText(err), { cause: err });
    const e = err as ImapFlowError;
    const code = e?.code ?? '';
    // Only the server's own response text and error codes are used: a failed command's text
    // (executedCommand) can hold the LOGIN password.
    const said = e?.responseText ? `: ${e.responseText}` : '';
    if (e?.authenticationFailed) {
      return new SourceError(this.name, 'auth', `authentication failed for ${this.config.user} at ${this.endpoint}${said || `: ${e.message}`}`, { cause: err });
    }
    if (e?.mailboxMissing || (e?.serverResponseCode === 'NONEXISTENT' && /^(SELECT|EXAMINE)$/i.test(e.command ?? ''))) {
      return new SourceError(this.name, 'mailbox', `mailbox "${this.config.mailbox}" does not exist for ${this.config.user} at ${this.endpoint}${said}`, { cause: err });
    }
    if (e?.tlsFailed || /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|HOSTNAME|ALTNAME|EPROTO/i.test(code)) {
      return new SourceError(this.name, 'tls', `TLS with ${this.endpoint} failed: ${e?.message ?? String(err)}${code ? ` (${code})` : ''}`, { cause: err });
    }
    if (/^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNRESET|EPIPE|CONNECT_TIMEOUT|GREETING_TIMEOUT|UPGRADE_TIMEOUT|ETIMEOUT|NoConnection|EConnectionClosed|ClosedAfterConnect.*)$/.test(code)) {
      return new SourceError(this.name, 'connect', `cannot reach ${this.endpoint}: ${e?.message ?? String(err)} (${code})`, { cause: err });
    }
    return new SourceError(this.name, 'server', `${this.endpoint}: ${e?.message ?? String(err)}${said}${code ? ` (${code})` : ''}`, { cause: err });
  }

  private warnInsecure(): void {
    if (this.warnedInsecure) return;
    this.warnedInsecure = true;
    if (this.config.tls.insecureSkipVerify && this.config.security !== 'none') {
      this.deps.logger.warn(
        `source ${this.name}: TLS CERTIFICATE VERIFICATION IS OFF (tls.insecureSkipVerify) for ${this.endpoint}: ` +
          'anyone on the path can impersonate the server and read the credentials and the mail',
      );
    }
    if (this.config.security === 'none') {
      this.deps.logger.warn(`source ${this.name}: plaintext IMAP to ${this.endpoint} (security: none): the credentials and the mail cross the network unencrypted`);
    }
  }

  private async clientOptions(): Promise<ImapFlowOptions> {
    const c = this.config;
    let ca: string[] | undefined;
    if (c.tls.caFile) {
      try {
        // Added to the public roots rather than replacing them, so a server that later moves to a
        // public certificate still verifies.
        ca = [...rootCertificates, await readFile(c.tls.caFile, 'utf8')];
      } catch (err) {
        throw new SourceError(this.name, 'config', `tls.caFile ${c.tls.caFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
    const auth =
      c.passwordEnv !== undefined || c.passwordFile !== undefined
        ? { user: c.user, pass: await readSecret(this.name, 'password', { env: c.passwordEnv, file: c.passwordFile }) }
        : { user: c.user, accessToken: await readSecret(this.name, 'access token', { env: c.accessTokenEnv, file: c.accessTokenFile }) };
    return {
      host: c.host,
      port: this.port,
      secure: c.security === 'tls',
      doSTARTTLS: c.security === 'starttls' ? true : c.security === 'none' ? false : undefined,
      servername: c.tls.servername,
      tls: { rejectUnauthorized: !c.tls.insecureSkipVerify, ca, minVersion: 'TLSv1.2' },
      auth,
      logger: false,
      // IDLE is entered by the wait loop: auto-IDLE only starts after 15 s of quiet, and a mail
      // arriving in that window would wait for the next poll.
      disableAutoIdle: true,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      clientInfo: { name: 'maintwatch-ingest' },
    };
  }

  /** The move target exists before the first mail needs it. */
  private async prepareTarget(client: ImapFlow): Promise<void> {
    if (this.config.afterPublish.action !== 'move') return;
    const folder = this.config.afterPublish.folder;
    const exists = (await client.list()).some((box) => box.path === folder);
    if (!exists) await client.mailboxCreate(folder);
  }

  /** Publishes what is new since the cursor (or, without a usable cursor, within the lookback); returns the new cursor. */
  private async sync(client: ImapFlow, cursor: ImapCursor | undefined, signal: AbortSignal): Promise<ImapCursor | undefined> {
    const box = client.mailbox;
    if (!box) throw new SourceError(this.name, 'server', `mailbox "${this.config.mailbox}" is no longer selected`);
    const uidValidity = box.uidValidity.toString();
    let next: ImapCursor | undefined = cursor;
    if (!cursor || cursor.uidValidity !== uidValidity) {
      const since = new Date(Date.now() - this.lookbackDays * DAY_MS);
      const uidNextAtStart = box.uidNext;
      this.deps.logger.log(
        cursor
          ? `source ${this.name}: UIDVALIDITY of "${this.config.mailbox}" changed (${cursor.uidValidity} -> ${uidValidity}): re-reading the last ${this.lookbackDays} days; mail published before is skipped`
          : `source ${this.name}: first start on "${this.config.mailbox}": reading the last ${this.lookbackDays} days`,
      );
      const found = box.exists === 0 ? [] : ((await client.search({ since }, { uid: true })) || []);
      next = await this.publishUids(client, found, { uidValidity, since }, undefined, signal);
      if (signal.aborted) return next;
      // Everything below UIDNEXT was either published now or is older than the lookback.
      const lastUid = Math.max(typeof uidNextAtStart === 'number' ? uidNextAtStart - 1 : 0, next?.uidValidity === uidValidity ? next.lastUid : 0);
      next = { uidValidity, lastUid, updatedAt: Date.now() };
      await this.saveCursor(next);
    } else if (box.exists > 0) {
      const fresh = await client.fetchAll(`${cursor.lastUid + 1}:*`, { uid: true }, { uid: true });
      // "N:*" names the last mail even when its UID is below N.
      const uids = fresh.map((m) => m.uid).filter((uid) => uid > cursor.lastUid);
      next = await this.publishUids(client, uids, { uidValidity }, cursor, signal);
    } else {
      // Nothing to fetch; a NOOP still ends a long IDLE before the server's 30-minute limit.
      await client.noop();
    }
    this.deps.health.synced();
    return next;
  }

  /** Fetches and publishes mails in UID order, moving the cursor after each acknowledged one. */
  private async publishUids(
    client: ImapFlow,
    uids: number[],
    scope: { uidValidity: string; since?: Date },
    cursor: ImapCursor | undefined,
    signal: AbortSignal,
  ): Promise<ImapCursor | undefined> {
    let current = cursor;
    const sorted = [...new Set(uids)].sort((a, b) => a - b);
    for (let i = 0; i < sorted.length; i += 200) {
      const sizes = await client.fetchAll(sorted.slice(i, i + 200).join(','), { uid: true, size: true }, { uid: true });
      sizes.sort((a, b) => a.uid - b.uid);
      // A mail over the size limit is not downloaded: its start (the header block) is enough to
      // publish it as a truncated notice, recorded unparsed with its size.
      const limit = this.deps.publisher.maxBytes;
      const oversized = new Map(sizes.filter((m) => (m.size ?? 0) > limit).map((m) => [m.uid, m.size ?? 0]));
      for (const batch of batchesBySize(sizes, oversized)) {
        if (signal.aborted) return current;
        const big = batch.length === 1 && oversized.has(batch[0]);
        const source = big ? { start: 0, maxLength: MAX_HEADER_BLOCK } : true;
        const messages = await client.fetchAll(batch.join(','), { uid: true, source, internalDate: true }, { uid: true });
        messages.sort((a, b) => a.uid - b.uid);
        for (const message of messages) {
          if (signal.aborted) return current;
          await this.handle(client, message, scope.since, oversized.get(message.uid));
          current = { uidValidity: scope.uidValidity, lastUid: message.uid, updatedAt: Date.now() };
          await this.saveCursor(current);
        }
      }
    }
    return current;
  }

  private async handle(client: ImapFlow, message: FetchMessageObject, since: Date | undefined, declaredSize?: number): Promise<void> {
    const raw = message.source;
    if (!raw) return; // expunged between the two FETCHes
    const health = this.deps.health;
    health.fetched();
    const receivedAt = message.internalDate instanceof Date ? message.internalDate : undefined;
    // SEARCH SINCE compares dates only, in the server's zone: the mail's own arrival time decides.
    if (since && receivedAt && receivedAt < since) {
      health.skipped('outside-lookback');
      return;
    }
    const notice = await this.deps.publisher.prepare(raw, this.name, this.config.senderHeader, declaredSize);
    if (!senderAllowed(notice.headers.sender, this.config.senderFilter)) {
      health.skipped('sender-filter');
      return;
    }
    let result;
    try {
      result = await this.deps.publisher.publish(notice, { source: this.name, providerHint: this.config.providerHint, receivedAt });
    } catch (err) {
      throw new SourceError(this.name, 'publish', `notice ${notice.noticeId} (UID ${message.uid}) was not acknowledged by JetStream: ${causeText(err)}`, { cause: err });
    }
    if (result.status === 'published') health.published();
    else health.skipped('already-seen');
    await this.afterPublish(client, message.uid);
  }

  /** The optional after-publish action; its failure is logged and counted, never a reason to publish again. */
  private async afterPublish(client: ImapFlow, uid: number): Promise<void> {
    const action = this.config.afterPublish;
    if (action.action === 'none') return;
    try {
      if (action.action === 'flag') await client.messageFlagsAdd(String(uid), [action.flag], { uid: true });
      else await client.messageMove(String(uid), action.folder, { uid: true });
    } catch (err) {
      this.deps.logger.warn(`source ${this.name}: ${action.action} of UID ${uid} failed: ${(err as ImapFlowError).responseText ?? (err as Error).message}`);
    }
  }

  private async saveCursor(cursor: ImapCursor): Promise<void> {
    await this.deps.cursors.putImap(this.name, this.config.mailbox, { uidValidity: cursor.uidValidity, lastUid: cursor.lastUid });
  }
}

/** The connection's events, turned into "something changed" / "closed" for the wait loop. */
class Session {
  private pending = false;
  private wake: (() => void) | undefined;
  private closed = false;
  private onClosed: (() => void) | undefined;
  private readonly listeners: [string, (...args: unknown[]) => void][];

  constructor(private readonly client: ImapFlow) {
    const changed = () => {
      this.pending = true;
      this.wake?.();
    };
    const closed = () => {
      this.closed = true;
      this.onClosed?.();
    };
    this.listeners = [
      ['exists', changed],
      // A new mailbox object: the server re-selected it, maybe under a new UIDVALIDITY.
      ['mailboxOpen', changed],
      ['close', closed],
      // The connection closes after an error; 'close' reports it.
      ['error', () => undefined],
    ];
    for (const [event, fn] of this.listeners) client.on(event, fn);
  }

  /** Waits in IDLE (when `push`) until new mail, the poll interval, the connection's end or shutdown. */
  async waitForChange(push: boolean, pollMs: number, signal: AbortSignal): Promise<WaitResult> {
    if (signal.aborted) return 'aborted';
    if (this.closed) return 'closed';
    if (this.pending) {
      this.pending = false;
      return 'change';
    }
    // Resolves when the next command breaks IDLE (imapflow sends DONE first) or the connection ends.
    if (push) void this.client.idle().catch(() => undefined);
    const result = await new Promise<WaitResult>((resolve) => {
      const timer = setTimeout(() => finish('poll'), pollMs);
      const abort = () => finish('aborted');
      const finish = (why: WaitResult) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', abort);
        this.wake = undefined;
        this.onClosed = undefined;
        resolve(why);
      };
      this.wake = () => finish('change');
      this.onClosed = () => finish('closed');
      signal.addEventListener('abort', abort, { once: true });
    });
    this.pending = false;
    return result;
  }

  dispose(): void {
    for (const [event, fn] of this.listeners) this.client.off(event, fn);
    // Errors after this point belong to a connection being thrown away.
    this.client.on('error', () => undefined);
  }
}

/** Groups UIDs so that one FETCH carries at most ~16 MB or 50 mails (a bigger mail goes alone). */
function batchesBySize(sizes: FetchMessageObject[], alone: ReadonlyMap<number, number>): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  // In UID order (the cursor advances message by message); a mail in `alone` gets a FETCH of its own.
  for (const m of sizes) {
    if (alone.has(m.uid)) {
      if (current.length > 0) batches.push(current);
      batches.push([m.uid]);
      current = [];
      bytes = 0;
      continue;
    }
    const size = m.size ?? 0;
    if (current.length > 0 && (bytes + size > FETCH_BATCH_BYTES || current.length >= FETCH_BATCH_COUNT)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m.uid);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

async function closeQuietly(client: ImapFlow): Promise<void> {
  if (client.usable) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([client.logout().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 2000)))]);
    clearTimeout(timer);
  }
  client.close();
}

function causeText(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    parts.push(e instanceof Error ? e.message : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(': ');
}
