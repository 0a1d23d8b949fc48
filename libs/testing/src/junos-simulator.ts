import { EventEmitter } from 'node:events';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import { Server, utils, type Connection, type ServerChannel } from 'ssh2';
import { FrameDecoder, encodeMessage, escapeXml, parseXml, child, text, has, isNode, sshFingerprint, type Framing, type XmlNode } from '@maintwatch/netconf';

// A Junos box for tests, speaking NETCONF over SSH like Junos does (spec junos-netconf.md §1,
// §3.3): Junos hello with comments and Juniper capabilities, EOM framing, base:1.1 only when
// asked (Junos needs rfc-compliant + version-1.1), replies in the Junos shapes with
// newline-padded rpc-error messages. Requests are parsed as XML by local name, so prefixed
// `<nc:rpc>` from ncclient works.

const NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const JUNOS_NS = 'http://xml.juniper.net/junos/23.4R1.9/junos';

/** Options of the simulator. */
export interface JunosSimulatorOptions {
  /** Logins: user -> password. */
  users?: Record<string, string>;
  /** Offer base:1.1 (chunked framing) in the hello. */
  base11?: boolean;
  hostname?: string;
  model?: string;
  version?: string;
  /** The box's clock zone (reboot `at` times are read in it). */
  timezone?: string;
  /** Length of a Junos "minute" in ms for confirm-timeout and `reboot in N` (tests shorten it). */
  minuteMs?: number;
  /** Bytes of RSI text. */
  rsiBytes?: number;
  /** Reply to these operations only after a delay (ms): timeouts, queueing. */
  delays?: Record<string, number>;
  /** Records every message in and out. */
  trace?: (direction: 'in' | 'out', xml: string) => void;
}

/** One commit the box made. */
export interface SimCommit {
  at: number;
  log?: string;
  confirmedMinutes?: number;
  user: string;
}

/** The box's state, readable (and arrangeable) by tests. */
export interface JunosSimState {
  running: string[];
  candidate: string[];
  commits: SimCommit[];
  rollbacks: number;
  lockedBy?: number;
  pendingReboot?: { at: number; requestedBy: string };
  reboots: { at: number; requestedBy: string }[];
  restarts: { daemon: string; mode: 'gracefully' | 'immediately' | 'soft' }[];
  files: Map<string, Buffer>;
}

/** A running simulator. Events: `rollback`, `reboot`, `commit`, `rpc` (operation name). */
export interface JunosSimulator {
  readonly host: string;
  readonly port: number;
  readonly hostKeyFingerprint: string;
  readonly users: Record<string, string>;
  readonly state: JunosSimState;
  readonly events: EventEmitter;
  /** Open NETCONF sessions. */
  sessions(): number;
  stop(): Promise<void>;
}

const DAEMONS = ['routing', 'snmp', 'interface-control', 'chassis-control', 'management', 'lldpd-service', 'event-processing', 'firewall', 'dhcp-service', 'sflow-service'];

class SimRpcError extends Error {
  constructor(
    readonly tag: string,
    message: string,
    readonly type = 'protocol',
    readonly info = '',
  ) {
    super(message);
  }
}

/** Starts a Junos NETCONF simulator on a free loopback port. */
export async function startJunosSimulator(options: JunosSimulatorOptions = {}): Promise<JunosSimulator> {
  const users = options.users ?? { lab: 'lab123' };
  const hostname = options.hostname ?? 'sim-mx1';
  const model = options.model ?? 'mx204';
  const version = options.version ?? '23.4R1.9';
  const zone = options.timezone ?? 'Europe/Amsterdam';
  const minuteMs = options.minuteMs ?? 60_000;
  const keys = utils.generateKeyPairSync('ed25519');
  const parsedKey = utils.parseKey(keys.private);
  if (parsedKey instanceof Error) throw parsedKey;
  const key = Array.isArray(parsedKey) ? parsedKey[0] : parsedKey;
  const fingerprint = sshFingerprint(key.getPublicSSH());
  const events = new EventEmitter();
  const state: JunosSimState = {
    running: ['set system host-name ' + hostname, 'set protocols bgp group TRANSIT neighbor 192.0.2.1 peer-as 64500', 'set interfaces xe-0/0/1 unit 0 family inet address 192.0.2.2/31'],
    candidate: [],
    commits: [],
    rollbacks: 0,
    reboots: [],
    restarts: [],
    files: new Map([
      ['/var/log/messages', Buffer.from(`Dec  6 10:00:00 ${hostname} mgd[1234]: UI_COMMIT: User 'lab' requested 'commit' operation\n`)],
      ['/var/log/chassisd', Buffer.from(`Dec  6 10:00:01 chassisd: CHASSISD_IFDEV_DETACH_ALL_PSEUDO\n`)],
    ]),
  };
  state.candidate = [...state.running];
  let nextSessionId = 30000;
  let pid = 40000;
  const open = new Set<{ id: number; end: () => void }>();
  const connections = new Set<Connection>();
  let rollbackTimer: NodeJS.Timeout | undefined;
  let rollbackTo: string[] | undefined;
  let rebootTimer: NodeJS.Timeout | undefined;

  const doReboot = (): void => {
    const p = state.pendingReboot;
    state.pendingReboot = undefined;
    rebootTimer = undefined;
    state.reboots.push({ at: Date.now(), requestedBy: p?.requestedBy ?? '?' });
    events.emit('reboot');
    // A reboot drops every management session, as on the box.
    setImmediate(() => {
      for (const c of connections) c.end();
    });
  };

  const server = new Server({ hostKeys: [keys.private], ident: 'SSH-2.0-OpenSSH_8.6' }, (conn) => {
    connections.add(conn);
    // @types/ssh2 lacks Connection.setNoDelay (ssh2 has it: lib/server.js).
    (conn as unknown as { setNoDelay(on: boolean): void }).setNoDelay(true);
    let user = '';
    conn.on('error', () => undefined);
    conn.on('close', () => connections.delete(conn));
    conn.on('authentication', (ctx) => {
      if (ctx.method === 'password' && users[ctx.username] !== undefined && users[ctx.username] === ctx.password) {
        user = ctx.username;
        return ctx.accept();
      }
      return ctx.reject(['password']);
    });
    conn.on('ready', () => {
      conn.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('subsystem', (accept, reject, info) => {
          if (info.name !== 'netconf') return reject();
          netconfChannel(accept(), user);
        });
        session.on('exec', (accept, _reject, info) => {
          // The CLI runs exec'd commands for users whose shell is the CLI; `| save` works there.
          const ch = accept();
          const m = /^request support information \| save (\S+)$/.exec(info.command.trim());
          if (m) {
            const body = rsiText();
            state.files.set(m[1], Buffer.from(body));
            ch.write(`Wrote ${body.split('\n').length} lines of output to '${m[1]}'\n`);
            ch.exit(0);
          } else {
            ch.stderr.write(`error: syntax error: ${info.command}\n`);
            ch.exit(1);
          }
          ch.end();
        });
      });
    });
  });

  function rsiText(): string {
    const target = options.rsiBytes ?? 64 * 1024;
    const lines: string[] = [`${hostname}> show version detail | no-more`, `Hostname: ${hostname}`, `Model: ${model}`, `Junos: ${version}`];
    let n = 0;
    while (lines.join('\n').length < target) lines.push(`show system processes extensive line ${n++}: PID ${1000 + n} rpd 0.${n % 100}% CPU`);
    return lines.join('\n').slice(0, target);
  }

  function netconfChannel(ch: ServerChannel, user: string): void {
    const id = nextSessionId++;
    let framing: Framing = 'eom';
    let gotHello = false;
    const entry = { id, end: () => ch.end() };
    open.add(entry);
    const send = (xml: string): void => {
      options.trace?.('out', xml);
      if (ch.writable) ch.write(encodeMessage(xml, framing));
    };
    const decoder = new FrameDecoder((msg) => {
      options.trace?.('in', msg);
      let doc: XmlNode;
      try {
        doc = parseXml(msg);
      } catch {
        ch.end();
        return;
      }
      if (!gotHello) {
        const hello = child(doc, 'hello');
        if (!hello || has(hello, 'session-id')) {
          ch.end();
          return;
        }
        gotHello = true;
        const caps = JSON.stringify(hello);
        if (options.base11 && caps.includes('urn:ietf:params:netconf:base:1.1')) {
          framing = 'chunked';
          decoder.framing = 'chunked';
        }
        return;
      }
      const rpc = child(doc, 'rpc');
      if (!rpc) return;
      const attrs = Object.entries(rpc)
        .filter(([k]) => k.startsWith('@_') && !k.startsWith('@_xmlns'))
        .map(([k, v]) => ` ${k.slice(2)}="${escapeXml(String(v))}"`)
        .join('');
      const opName = Object.keys(rpc).find((k) => !k.startsWith('@_') && k !== '#text');
      const reply = (body: string): void => send(`<rpc-reply xmlns="${NS}" xmlns:junos="${JUNOS_NS}"${attrs}>\n${body}\n</rpc-reply>`);
      if (!opName) return reply(errorXml(new SimRpcError('missing-element', 'missing operation')));
      events.emit('rpc', opName);
      try {
        const op = rpc[opName];
        const body = handle(opName, isNode(op) ? op : typeof op === 'string' ? { '#text': op } : {}, id, user);
        const delay = options.delays?.[opName];
        if (delay) setTimeout(() => reply(body), delay);
        else reply(body);
        if (opName === 'close-session') setImmediate(() => ch.end());
      } catch (err) {
        if (err instanceof SimRpcError) reply(errorXml(err));
        else reply(errorXml(new SimRpcError('operation-failed', String(err), 'application')));
      }
    });
    ch.on('data', (d: Buffer) => {
      try {
        decoder.push(d);
      } catch {
        ch.end();
      }
    });
    ch.on('close', () => {
      open.delete(entry);
      if (state.lockedBy === id) state.lockedBy = undefined;
    });
    ch.write(
      encodeMessage(
        `<!-- No zombies were killed during the creation of this user interface -->\n<!-- user ${user}, class j-super-user -->\n` +
          `<hello xmlns="${NS}"><capabilities>` +
          [
            'urn:ietf:params:netconf:base:1.0',
            ...(options.base11 ? ['urn:ietf:params:netconf:base:1.1'] : []),
            'urn:ietf:params:netconf:capability:candidate:1.0',
            'urn:ietf:params:netconf:capability:confirmed-commit:1.0',
            'urn:ietf:params:netconf:capability:validate:1.0',
            'urn:ietf:params:netconf:capability:url:1.0?scheme=http,ftp,file',
            'urn:ietf:params:xml:ns:netconf:base:1.0',
            'urn:ietf:params:xml:ns:netconf:capability:candidate:1.0',
            'http://xml.juniper.net/netconf/junos/1.0',
            'http://xml.juniper.net/dmi/system/1.0',
          ]
            .map((c) => `<capability>${c}</capability>`)
            .join('') +
          `</capabilities><session-id>${id}</session-id></hello>`,
        'eom',
      ),
    );
  }

  function errorXml(e: SimRpcError): string {
    return `<rpc-error>\n<error-type>${e.type}</error-type>\n<error-tag>${e.tag}</error-tag>\n<error-severity>error</error-severity>\n<error-message>\n${escapeXml(e.message)}\n</error-message>${e.info}\n</rpc-error>`;
  }

  function softwareInformation(): string {
    return `<software-information>\n<host-name>${hostname}</host-name>\n<product-model>${model}</product-model>\n<product-name>${model}</product-name>\n<junos-version>${version}</junos-version>\n<package-information>\n<name>junos</name>\n<comment>JUNOS Base OS boot [${version}]</comment>\n</package-information>\n</software-information>`;
  }

  function bgpNeighbor(address: string | undefined): string {
    const peers = state.running
      .map((l) => /^set protocols bgp group (\S+) neighbor (\S+)/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .filter((m) => !address || m[2] === address);
    if (address && peers.length === 0) throw new SimRpcError('operation-failed', `BGP neighbor ${address} not found`, 'application');
    return `<bgp-information xmlns="http://xml.juniper.net/junos/23.4R1.9/junos-routing">\n${peers
      .map((m) => {
        const down = state.running.some((l) => l === `deactivate protocols bgp group ${m[1]} neighbor ${m[2]}` || l === `set protocols bgp group ${m[1]} neighbor ${m[2]} shutdown`);
        return `<bgp-peer junos:style="detail">\n<peer-address>${m[2]}+179</peer-address>\n<peer-group>${m[1]}</peer-group>\n<peer-state>${down ? 'Idle' : 'Established'}</peer-state>\n<peer-as>64500</peer-as>\n</bgp-peer>`;
      })
      .join('\n')}\n</bgp-information>`;
  }

  /** The running configuration with `apply-groups` expanded (what the box acts on). */
  function effective(): string[] {
    const applied = state.running.map((l) => /^set apply-groups (\S+)$/.exec(l)?.[1]).filter((g): g is string => g !== undefined);
    const out = state.running.filter((l) => !l.startsWith('set groups '));
    for (const g of applied) for (const l of state.running) if (l.startsWith(`set groups ${g} `)) out.push(`set ${l.slice(`set groups ${g} `.length)}`);
    return out;
  }

  function interfaceInformation(name: string | undefined): string {
    const config = effective();
    const names = [...new Set(config.map((l) => /^set interfaces (\S+)/.exec(l)?.[1]).filter((n): n is string => n !== undefined && n !== 'disable'))].filter((n) => !name || n === name);
    if (name && names.length === 0) throw new SimRpcError('operation-failed', `\ndevice ${name} not found\n`, 'application');
    return `<interface-information xmlns="http://xml.juniper.net/junos/23.4R1.9/junos-interface" junos:style="terse">\n${names
      .map((n) => {
        const down = config.includes(`set interfaces ${n} disable`);
        return `<physical-interface>\n<name>\n${n}\n</name>\n<admin-status>\n${down ? 'down' : 'up'}\n</admin-status>\n<oper-status>\n${down ? 'down' : 'up'}\n</oper-status>\n</physical-interface>`;
      })
      .join('\n')}\n</interface-information>`;
  }

  function commandOutput(cmd: string, format: string): string {
    const c = cmd.trim().replace(/\s+/g, ' ');
    if (c === 'show version') {
      return format === 'text' ? `<output>\nHostname: ${hostname}\nModel: ${model}\nJunos: ${version}\n</output>` : softwareInformation();
    }
    if (c === 'show bgp summary' || c.startsWith('show bgp neighbor')) {
      if (format === 'text') return `<output>\nGroups: 1 Peers: 1 Down peers: 0\nPeer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn State\n192.0.2.1             64500      12345      12346       0       0  1w2d3h Establ\n</output>`;
      return bgpNeighbor(c.split(' ')[3]);
    }
    if (c === 'show system uptime') {
      return format === 'text' ? `<output>\nCurrent time: ${DateTime.now().setZone(zone).toFormat('yyyy-MM-dd HH:mm:ss ZZZZ')}\n</output>` : `<system-uptime-information><current-time><date-time junos:seconds="${Math.floor(Date.now() / 1000)}">${DateTime.now().setZone(zone).toFormat('yyyy-MM-dd HH:mm:ss ZZZZ')}</date-time></current-time></system-uptime-information>`;
    }
    throw new SimRpcError('operation-failed', `syntax error, expecting <command>: ${c}`, 'protocol', `\n<error-info>\n<bad-element>${escapeXml(c.split(' ').slice(-1)[0] ?? c)}</bad-element>\n</error-info>`);
  }

  function applySet(lines: string[], target: string[]): string[] {
    const out = [...target];
    for (const raw of lines) {
      const line = raw.trim().replace(/\s+/g, ' ');
      if (line === '') continue;
      const m = /^(set|delete|deactivate|activate) (.+)$/.exec(line);
      if (!m) throw new SimRpcError('operation-failed', `syntax error: ${line}`, 'protocol', `\n<error-info>\n<bad-element>${escapeXml(line.split(' ')[0])}</bad-element>\n</error-info>`);
      const [, verb, path] = m;
      if (verb === 'set') {
        if (!out.includes(`set ${path}`)) out.push(`set ${path}`);
      } else if (verb === 'delete') {
        const before = out.length;
        for (let i = out.length - 1; i >= 0; i--) if (out[i] === `set ${path}` || out[i].startsWith(`set ${path} `)) out.splice(i, 1);
        if (out.length === before) throw new SimRpcError('operation-failed', `warning: statement not found: ${path}`, 'protocol');
      } else if (verb === 'deactivate') {
        if (!out.some((l) => l === `set ${path}` || l.startsWith(`set ${path} `))) throw new SimRpcError('operation-failed', `statement not found: ${path}`, 'protocol');
        if (!out.includes(`deactivate ${path}`)) out.push(`deactivate ${path}`);
      } else {
        const i = out.indexOf(`deactivate ${path}`);
        if (i >= 0) out.splice(i, 1);
      }
    }
    return out;
  }

  function requireLockFree(sessionId: number): void {
    if (state.lockedBy !== undefined && state.lockedBy !== sessionId) {
      throw new SimRpcError('lock-denied', `configuration database locked by:\n  lab terminal p0 (pid 1234) on since 2026-12-06 10:00:00 UTC\n  exclusive [edit]`, 'protocol', `\n<error-info>\n<session-id>${state.lockedBy}</session-id>\n</error-info>`);
    }
  }

  function commitResults(inner: string): string {
    return `<commit-results>\n<routing-engine junos:style="normal">\n<name>re0</name>\n${inner}\n</routing-engine>\n</commit-results>`;
  }

  function parseAt(at: string): number {
    const now = DateTime.now().setZone(zone);
    let t: DateTime | undefined;
    if (at === 'now') t = now;
    else if (/^\+\d+$/.test(at)) t = now.plus({ milliseconds: Number(at.slice(1)) * minuteMs });
    else if (/^\d{10}$/.test(at)) t = DateTime.fromFormat(at, 'yyMMddHHmm', { zone });
    else if (/^\d{1,2}:\d{2}$/.test(at)) t = DateTime.fromFormat(at, 'H:mm', { zone });
    if (!t || !t.isValid) throw new SimRpcError('invalid-value', `invalid time: ${at}`, 'application');
    if (t.toMillis() < now.toMillis() - 60_000) throw new SimRpcError('invalid-value', `time ${at} is in the past`, 'application');
    return t.toMillis();
  }

  function handle(op: string, args: XmlNode, sessionId: number, user: string): string {
    switch (op) {
      case 'get-software-information':
        return softwareInformation();
      case 'command':
        return commandOutput(text(args, '#text') ?? '', String(args['@_format'] ?? 'xml'));
      case 'get-bgp-neighbor-information':
        return bgpNeighbor(text(args, 'neighbor-address'));
      case 'get-interface-information':
        return interfaceInformation(text(args, 'interface-name'));
      case 'get-configuration': {
        const format = String(args['@_format'] ?? 'xml');
        const db = args['@_database'] === 'candidate' ? state.candidate : state.running;
        if (format === 'set') return `<configuration-set>\n${escapeXml(db.join('\n'))}\n</configuration-set>`;
        if (format === 'text') return `<configuration-text>\n${escapeXml(db.join('\n'))}\n</configuration-text>`;
        throw new SimRpcError('operation-failed', 'the simulator serves get-configuration in format="set" or "text" only', 'application');
      }
      case 'lock':
      case 'lock-configuration':
        requireLockFree(sessionId);
        if (state.candidate.join('\n') !== state.running.join('\n') && state.lockedBy === undefined) {
          throw new SimRpcError('lock-denied', 'configuration database modified', 'protocol', `\n<error-info>\n<session-id>0</session-id>\n</error-info>`);
        }
        state.lockedBy = sessionId;
        return '<ok/>';
      case 'unlock':
      case 'unlock-configuration':
        if (state.lockedBy !== sessionId) throw new SimRpcError('operation-failed', 'configuration database is not locked by this session', 'protocol');
        state.lockedBy = undefined;
        return '<ok/>';
      case 'load-configuration': {
        requireLockFree(sessionId);
        const action = String(args['@_action'] ?? 'merge');
        const set = text(args, 'configuration-set');
        if (action !== 'set' || set === undefined) throw new SimRpcError('operation-failed', 'the simulator loads action="set" with <configuration-set> only', 'application');
        state.candidate = applySet(set.split('\n'), state.candidate);
        return '<load-configuration-results>\n<ok/>\n</load-configuration-results>';
      }
      case 'discard-changes':
        state.candidate = [...state.running];
        return '<ok/>';
      case 'commit-configuration': {
        requireLockFree(sessionId);
        if (has(args, 'check')) return commitResults('<commit-check-success/>');
        const log = text(args, 'log');
        if (has(args, 'confirmed')) {
          const minutes = Number(text(args, 'confirm-timeout') ?? '10');
          if (!Number.isInteger(minutes) || minutes < 1 || minutes > 65535) throw new SimRpcError('invalid-value', `invalid confirm-timeout: ${text(args, 'confirm-timeout')}`, 'application');
          if (!rollbackTimer) rollbackTo = [...state.running];
          clearTimeout(rollbackTimer);
          rollbackTimer = setTimeout(() => {
            rollbackTimer = undefined;
            state.running = rollbackTo ?? state.running;
            state.candidate = [...state.running];
            state.rollbacks++;
            events.emit('rollback');
          }, minutes * minuteMs);
          state.running = [...state.candidate];
          state.commits.push({ at: Date.now(), log, confirmedMinutes: minutes, user });
          events.emit('commit');
          return commitResults(`<commit-success/>\n<commit-confirm-timeout>${minutes}</commit-confirm-timeout>`);
        }
        clearTimeout(rollbackTimer);
        rollbackTimer = undefined;
        state.running = [...state.candidate];
        state.commits.push({ at: Date.now(), log, user });
        events.emit('commit');
        return commitResults('<commit-success/>');
      }
      case 'request-reboot': {
        if (state.pendingReboot) throw new SimRpcError('operation-failed', 'error: another shutdown is running', 'application');
        const inMin = text(args, 'in');
        const at = text(args, 'at');
        if (inMin !== undefined && at !== undefined) throw new SimRpcError('operation-failed', '"in" and "at" are mutually exclusive', 'protocol');
        const myPid = pid++;
        if (inMin === undefined && at === undefined) {
          state.pendingReboot = { at: Date.now(), requestedBy: user };
          setImmediate(doReboot);
          return `<request-reboot-results>\n<request-reboot-status reboot-time="${Math.floor(Date.now() / 1000)}">\nShutdown NOW!\n[pid ${myPid}]\n</request-reboot-status>\n</request-reboot-results>`;
        }
        let when: number;
        if (inMin !== undefined) {
          if (!/^\d+$/.test(inMin)) throw new SimRpcError('invalid-value', `invalid value for in: ${inMin}`, 'application');
          when = Date.now() + Number(inMin) * minuteMs;
        } else when = parseAt(at as string);
        state.pendingReboot = { at: when, requestedBy: user };
        rebootTimer = setTimeout(doReboot, Math.max(0, when - Date.now()));
        const local = DateTime.fromMillis(when).setZone(zone);
        return `<request-reboot-results>\n<request-reboot-status reboot-time="${Math.floor(when / 1000)}">\nShutdown at ${local.toFormat('ccc LLL d HH:mm:ss yyyy')} ${local.toFormat('ZZZZ')}.\n[pid ${myPid}]\n</request-reboot-status>\n</request-reboot-results>`;
      }
      case 'clear-reboot': {
        if (!state.pendingReboot) return '<clear-reboot-results>\n<clear-reboot-status>\nNo shutdown/reboot scheduled.\n</clear-reboot-status>\n</clear-reboot-results>';
        clearTimeout(rebootTimer);
        rebootTimer = undefined;
        state.pendingReboot = undefined;
        return `<clear-reboot-results>\n<clear-reboot-status>\nTerminating...\n</clear-reboot-status>\n</clear-reboot-results>`;
      }
      case 'restart-daemon': {
        const daemon = text(args, 'daemon-name') ?? '';
        if (!DAEMONS.includes(daemon)) throw new SimRpcError('invalid-value', `invalid daemon: ${daemon}`, 'application', `\n<error-info>\n<bad-element>${escapeXml(daemon)}</bad-element>\n</error-info>`);
        const modes = ['gracefully', 'immediately', 'soft'].filter((m) => has(args, m));
        if (modes.length > 1) throw new SimRpcError('operation-failed', 'gracefully, immediately and soft are mutually exclusive', 'protocol');
        const mode = (modes[0] ?? 'gracefully') as 'gracefully' | 'immediately' | 'soft';
        state.restarts.push({ daemon, mode });
        const verb = mode === 'soft' ? 'reinitialized' : 'started';
        return `<output>\n${daemon.replace(/-/g, ' ')} ${verb}, pid ${pid++}\n</output>`;
      }
      case 'get-support-information':
        if (args['@_format'] === 'text') return `<output>\n${escapeXml(rsiText())}\n</output>`;
        return `<support-information><output>${escapeXml(rsiText())}</output></support-information>`;
      case 'file-archive': {
        const source = text(args, 'source') ?? '';
        const dest = text(args, 'destination') ?? '';
        if (!dest.startsWith('/var/tmp/') && !dest.startsWith('/var/log/')) throw new SimRpcError('operation-failed', `could not create ${dest}: Permission denied`, 'application');
        const prefix = source.replace(/\*$/, '');
        const picked = [...state.files.entries()].filter(([p]) => (source.endsWith('*') ? p.startsWith(prefix) : p === source));
        if (picked.length === 0) throw new SimRpcError('operation-failed', `${source}: No such file or directory`, 'application');
        // A gzip of "name\0content" records: the simulator does not write tar (no test reads it as tar).
        const body = Buffer.concat(picked.flatMap(([p, c]) => [Buffer.from(`${p}\0${c.length}\0`), c]));
        const name = has(args, 'compress') && !dest.endsWith('.tgz') ? `${dest}.tgz` : dest;
        state.files.set(name, has(args, 'compress') ? gzipSync(body) : body);
        return '';
      }
      case 'file-get': {
        const name = text(args, 'filename') ?? '';
        const f = state.files.get(name);
        if (!f) throw new SimRpcError('operation-failed', `Failed to open file (${name}): No such file or directory`, 'application');
        if (text(args, 'encoding') !== 'base64') throw new SimRpcError('operation-failed', 'the simulator serves file-get with base64 encoding only', 'application');
        return `<file-get-results>\n<file-contents>\n${f.toString('base64')}\n</file-contents>\n</file-get-results>`;
      }
      case 'file-delete': {
        const path = text(args, 'path') ?? '';
        if (!state.files.delete(path)) throw new SimRpcError('operation-failed', `${path}: No such file or directory`, 'application');
        return '';
      }
      case 'get-system-storage':
        return `<system-storage-information>\n<filesystem>\n<filesystem-name>/dev/gpt/var</filesystem-name>\n<available-blocks junos:format="12G">25165824</available-blocks>\n<mounted-on>/var</mounted-on>\n</filesystem>\n</system-storage-information>`;
      case 'close-session':
        return '<ok/>';
      default:
        throw new SimRpcError('unknown-element', 'syntax error', 'protocol', `\n<error-info>\n<bad-element>${escapeXml(op)}</bad-element>\n</error-info>`);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    hostKeyFingerprint: fingerprint,
    users,
    state,
    events,
    sessions: () => open.size,
    stop: async () => {
      clearTimeout(rollbackTimer);
      clearTimeout(rebootTimer);
      for (const c of connections) c.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
