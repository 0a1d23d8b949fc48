import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { FramingError, HostKeyError, NetconfError, RpcError, RpcTimeoutError, SessionClosedError } from './errors';
import { FrameDecoder, encodeEom, encodeMessage, type Framing } from './framing';
import { sshFingerprint, type HostKeyStore } from './host-key';
import { child, children, has, parseXml, rpcErrors, text, type XmlNode } from './xml';
import type { RpcErrorInfo } from './errors';

/** NETCONF base namespace. */
export const NETCONF_NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';
/** base:1.0 capability URI. */
export const BASE_10 = 'urn:ietf:params:netconf:base:1.0';
/** base:1.1 capability URI (chunked framing when both sides list it). */
export const BASE_11 = 'urn:ietf:params:netconf:base:1.1';
/** The capability that marks a Junos peer. */
export const JUNOS_CAPABILITY = 'http://xml.juniper.net/netconf/junos/1.0';

/** Host-key policy of one device: a pinned fingerprint, or trust-on-first-use recorded in a store. */
export interface HostKeyPolicy {
  /** `SHA256:...` fingerprint(s) accepted for this device. */
  pinned?: string[];
  /** Accept and record an unknown key on first use; later connections must match the record. */
  tofu?: boolean;
  /** Where TOFU keys are recorded (required with tofu). */
  store?: HostKeyStore;
}

/** Observes RPCs (metrics): operation, seconds, outcome. */
export type RpcObserver = (event: { device: string; operation: string; seconds: number; outcome: 'ok' | 'rpc-error' | 'timeout' | 'closed' }) => void;

/** How to open a NETCONF session. Credentials are passed in resolved, never logged. */
export interface SessionOptions {
  /** Device name (logs, metrics, host-key records). */
  device: string;
  host: string;
  port?: number;
  username: string;
  password?: string;
  privateKey?: Buffer | string;
  passphrase?: string;
  hostKey: HostKeyPolicy;
  /** Offer base:1.1 (default true); false forces end-of-message framing. */
  offerBase11?: boolean;
  /** Default per-RPC timeout (ms), 60 s. */
  rpcTimeoutMs?: number;
  /** SSH connect + hello timeout (ms), 20 s. */
  connectTimeoutMs?: number;
  /** SSH keepalive interval (ms), 15 s; the session closes after 4 unanswered. */
  keepaliveIntervalMs?: number;
  /** Largest chunk this client sends (bytes). */
  maxChunkBytes?: number;
  observer?: RpcObserver;
}

/** A reply that was not an error (it may carry warnings). */
export interface RpcReply {
  messageId: string;
  /** The `<rpc-reply>` element's content by local name. */
  reply: XmlNode;
  /** The whole reply as received. */
  xml: string;
  ok: boolean;
  warnings: RpcErrorInfo[];
}

/** Per-RPC options. */
export interface RpcOptions {
  timeoutMs?: number;
}

interface Pending {
  messageId: string;
  operation: string;
  started: number;
  resolve: (r: RpcReply) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One NETCONF-over-SSH session (RFC 6241/6242). RPCs are queued: one is in flight at a time,
 * as Junos processes them serially anyway; each has its own timeout.
 */
export class NetconfSession {
  private readonly decoder: FrameDecoder;
  private framingMode: Framing = 'eom';
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private pending: Pending | undefined;
  private closedError: Error | undefined;
  private helloWaiter: { resolve: () => void; reject: (e: Error) => void } | undefined;
  /** The server's capabilities from its hello. */
  serverCapabilities: string[] = [];
  /** The server-assigned session id. */
  sessionId = '';
  /** Replies that matched no RPC (late replies after a timeout). */
  discardedReplies = 0;

  private constructor(
    private readonly conn: Client,
    private readonly channel: ClientChannel,
    private readonly options: SessionOptions,
  ) {
    this.decoder = new FrameDecoder((m) => this.onMessage(m));
  }

  /** Opens SSH, the `netconf` subsystem and exchanges hellos. */
  static async connect(options: SessionOptions): Promise<NetconfSession> {
    const conn = new Client();
    let hostKeyProblem: HostKeyError | undefined;
    const verifier = (key: Buffer, verify: (ok: boolean) => void): void => {
      checkHostKey(options.device, key, options.hostKey).then(
        () => verify(true),
        (err: unknown) => {
          hostKeyProblem = err instanceof HostKeyError ? err : new HostKeyError(options.device, sshFingerprint(key), String(err));
          verify(false);
        },
      );
    };
    const config: ConnectConfig = {
      host: options.host,
      port: options.port ?? 830,
      username: options.username,
      password: options.password,
      privateKey: options.privateKey,
      passphrase: options.passphrase,
      hostVerifier: verifier,
      readyTimeout: options.connectTimeoutMs ?? 20_000,
      keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: 4,
    };
    const channel = await new Promise<ClientChannel>((resolve, reject) => {
      const fail = (err: Error): void => {
        conn.end();
        reject(hostKeyProblem ?? new SessionClosedError(`${options.device}: SSH connection failed: ${err.message}`, { cause: err }));
      };
      conn.once('error', fail);
      conn.once('ready', () => {
        // One small request, one small reply: Nagle would hold each write for the peer's delayed ACK.
        conn.setNoDelay(true);
        conn.subsys('netconf', (err, ch) => {
          conn.removeListener('error', fail);
          if (err) return fail(err);
          resolve(ch);
        });
      });
      conn.connect(config);
    });
    const session = new NetconfSession(conn, channel, options);
    await session.hello();
    return session;
  }

  /** The framing in use after the hellos. */
  get framing(): Framing {
    return this.framingMode;
  }

  /** Whether the peer is Junos (its hello lists the Junos capability). */
  get isJunos(): boolean {
    return this.serverCapabilities.includes(JUNOS_CAPABILITY);
  }

  /** Whether the session is closed. */
  get closed(): boolean {
    return this.closedError !== undefined;
  }

  private async hello(): Promise<void> {
    const timeoutMs = this.options.connectTimeoutMs ?? 20_000;
    this.channel.on('data', (d: Buffer) => this.onData(d));
    this.channel.stderr.on('data', () => undefined);
    this.channel.on('close', () => this.shutdown(new SessionClosedError(`${this.options.device}: NETCONF channel closed`)));
    this.conn.on('error', (err) => this.shutdown(new SessionClosedError(`${this.options.device}: SSH error: ${err.message}`, { cause: err })));
    this.conn.on('close', () => this.shutdown(new SessionClosedError(`${this.options.device}: SSH connection closed`)));
    const caps = [BASE_10, ...(this.options.offerBase11 === false ? [] : [BASE_11])];
    // The hello is always end-of-message framed, whatever is negotiated (RFC 6242 §4.1).
    this.channel.write(encodeEom(`<?xml version="1.0" encoding="UTF-8"?><hello xmlns="${NETCONF_NS}"><capabilities>${caps.map((c) => `<capability>${c}</capability>`).join('')}</capabilities></hello>`));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new SessionClosedError(`${this.options.device}: no NETCONF hello within ${timeoutMs} ms`)), timeoutMs);
      this.helloWaiter = {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
    }).catch((err: Error) => {
      this.shutdown(err);
      throw err;
    });
  }

  private onData(data: Buffer): void {
    if (this.closedError) return;
    try {
      this.decoder.push(data);
    } catch (err) {
      const e = err instanceof FramingError ? err : new FramingError(String(err), { cause: err });
      this.shutdown(new SessionClosedError(`${this.options.device}: ${e.message}`, { cause: e }));
    }
  }

  private onMessage(xml: string): void {
    let doc: XmlNode;
    try {
      doc = parseXml(xml);
    } catch (err) {
      this.shutdown(new SessionClosedError(`${this.options.device}: unreadable XML from the peer`, { cause: err }));
      return;
    }
    if (this.helloWaiter) {
      const hello = child(doc, 'hello');
      if (!hello) {
        const w = this.helloWaiter;
        this.helloWaiter = undefined;
        w.reject(new NetconfError(`${this.options.device}: first message is not a <hello>`));
        return;
      }
      this.serverCapabilities = children(child(hello, 'capabilities'), 'capability').map((c) => text(c) ?? '');
      this.sessionId = text(hello, 'session-id') ?? '';
      if (this.options.offerBase11 !== false && this.serverCapabilities.includes(BASE_11)) {
        this.framingMode = 'chunked';
        this.decoder.framing = 'chunked';
      }
      const w = this.helloWaiter;
      this.helloWaiter = undefined;
      w.resolve();
      return;
    }
    const reply = child(doc, 'rpc-reply');
    const p = this.pending;
    if (!reply) return; // notifications and the like: not used here
    const messageId = text(reply, '@_message-id') ?? '';
    if (!p || p.messageId !== messageId) {
      this.discardedReplies++;
      return;
    }
    this.pending = undefined;
    clearTimeout(p.timer);
    const errors = rpcErrors(reply);
    const seconds = (performance.now() - p.started) / 1000;
    if (errors.some((e) => e.severity === 'error')) {
      this.observe(p.operation, seconds, 'rpc-error');
      p.reject(new RpcError(p.operation, errors, xml));
      return;
    }
    this.observe(p.operation, seconds, 'ok');
    p.resolve({ messageId, reply, xml, ok: has(reply, 'ok'), warnings: errors });
  }

  private observe(operation: string, seconds: number, outcome: 'ok' | 'rpc-error' | 'timeout' | 'closed'): void {
    this.options.observer?.({ device: this.options.device, operation, seconds, outcome });
  }

  /**
   * Sends one RPC (the XML inside `<rpc>`) after the ones already queued and resolves with its
   * reply; rejects with RpcError when the reply has an error-severity `<rpc-error>`.
   */
  rpc(operationXml: string, options: RpcOptions = {}): Promise<RpcReply> {
    const run = (): Promise<RpcReply> => this.send(operationXml, options);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private send(operationXml: string, options: RpcOptions): Promise<RpcReply> {
    if (this.closedError) return Promise.reject(this.closedError);
    const operation = operationName(operationXml);
    const messageId = String(this.nextId++);
    const timeoutMs = options.timeoutMs ?? this.options.rpcTimeoutMs ?? 60_000;
    return new Promise<RpcReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending?.messageId !== messageId) return;
        this.pending = undefined;
        this.observe(operation, timeoutMs / 1000, 'timeout');
        reject(new RpcTimeoutError(operation, timeoutMs));
      }, timeoutMs);
      this.pending = { messageId, operation, started: performance.now(), resolve, reject, timer };
      const xml = `<rpc message-id="${messageId}" xmlns="${NETCONF_NS}">${operationXml}</rpc>`;
      this.channel.write(encodeMessage(xml, this.framingMode, this.options.maxChunkBytes));
    });
  }

  /**
   * Runs a CLI command on an SSH exec channel of the same connection, outside the RPC queue
   * (long jobs such as `request support information | save FILE`, which `<command>` cannot
   * save). Resolves with stdout; rejects with NetconfError on a non-zero exit.
   */
  exec(command: string, timeoutMs = 30 * 60_000): Promise<string> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise<string>((resolve, reject) => {
      this.conn.exec(command, (err, ch) => {
        if (err) return reject(new SessionClosedError(`${this.options.device}: exec channel refused`, { cause: err }));
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        let code: number | undefined;
        const timer = setTimeout(() => {
          ch.close();
          reject(new RpcTimeoutError('exec', timeoutMs));
        }, timeoutMs);
        ch.on('data', (d: Buffer) => out.push(d));
        ch.stderr.on('data', (d: Buffer) => errOut.push(d));
        ch.on('exit', (c: number | null) => (code = c ?? undefined));
        ch.on('close', () => {
          clearTimeout(timer);
          if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
          else reject(new NetconfError(`${this.options.device}: command exited ${code ?? 'without a status'}: ${Buffer.concat(errOut).toString('utf8').trim()}`));
        });
      });
    });
  }

  /** Sends `<close-session/>` (waits briefly for its `<ok/>`) and ends the SSH connection. */
  async close(timeoutMs = 5_000): Promise<void> {
    if (!this.closedError) {
      await this.rpc('<close-session/>', { timeoutMs }).catch(() => undefined);
    }
    this.shutdown(new SessionClosedError(`${this.options.device}: session closed by the client`));
  }

  private shutdown(err: Error): void {
    if (this.closedError) return;
    this.closedError = err;
    if (this.helloWaiter) {
      const w = this.helloWaiter;
      this.helloWaiter = undefined;
      w.reject(err);
    }
    const p = this.pending;
    if (p) {
      this.pending = undefined;
      clearTimeout(p.timer);
      this.observe(p.operation, (performance.now() - p.started) / 1000, 'closed');
      p.reject(err);
    }
    this.conn.end();
  }
}

/** Checks a presented host key against the device's policy; records it on first use with tofu. */
export async function checkHostKey(device: string, key: Buffer, policy: HostKeyPolicy): Promise<void> {
  const fp = sshFingerprint(key);
  if (policy.pinned?.includes(fp)) return;
  const recorded = policy.store ? await policy.store.get(device) : undefined;
  if (recorded !== undefined) {
    if (recorded === fp) return;
    throw new HostKeyError(device, fp, `${device}: host key ${fp} does not match the one recorded on first use (${recorded})`);
  }
  if (policy.pinned && policy.pinned.length > 0) {
    throw new HostKeyError(device, fp, `${device}: host key ${fp} is not the pinned one`);
  }
  if (policy.tofu && policy.store) {
    await policy.store.record(device, fp);
    return;
  }
  throw new HostKeyError(device, fp, `${device}: unknown host key ${fp} refused (pin it, or set tofu: true for this device)`);
}

function operationName(xml: string): string {
  const m = /^\s*<([A-Za-z_][\w.:-]*)/.exec(xml);
  const name = m ? m[1] : 'rpc';
  const colon = name.indexOf(':');
  return colon >= 0 ? name.slice(colon + 1) : name;
}
