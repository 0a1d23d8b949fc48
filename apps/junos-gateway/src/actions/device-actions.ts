import { Readable } from 'node:stream';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { Client as FtpClient } from 'basic-ftp';
import { DateTime } from 'luxon';
import { NetconfError, RpcError, SessionClosedError, child, escapeXml, text, type NetconfSession } from '@maintwatch/netconf';
import { UnknownDeviceError, type DeviceSessions } from '../devices/device-sessions';

/** What an operator asks of a device. */
export type OperatorAction =
  | { kind: 'command'; command: string; format: 'text' | 'xml' }
  | { kind: 'reboot'; inMinutes?: number; at?: number }
  | { kind: 'cancel-reboot' }
  | { kind: 'restart-daemon'; daemon: string; mode: 'gracefully' | 'immediately' }
  | { kind: 'jtac-bundle'; jtacCase: string };

/** How an action ended. */
export interface ActionOutcome {
  /** refused: the device (or the gateway) declined before acting, e.g. another shutdown is running. */
  outcome: 'succeeded' | 'failed' | 'refused';
  /** One line for people: what happened, or the device's own error message. */
  detail: string;
  /** Command output (text or the reply XML). */
  output?: string;
  /** Where results went (the uploaded bundle's URL, without credentials). */
  artifacts: string[];
}

/** Where JTAC bundles are uploaded. Never log `password`. */
export interface FtpTarget {
  host: string;
  port: number;
  /** Directory on the server; the case number is a folder below it. */
  dir: string;
  user: string;
  password: string;
  /** Explicit FTPS (AUTH TLS), certificate verified; `caFile` for a private CA. */
  tls: boolean;
  caFile?: string;
}

/** Progress of a long action (JTAC bundle): stage and, for the upload, bytes so far. */
export type ActionProgress = (stage: 'rsi' | 'archive' | 'fetch' | 'upload' | 'cleanup', detail: { bytes?: number }) => void;

/** A failure the operator must read as such (another shutdown is running, invalid daemon...). */
export class ActionRefusedError extends NetconfError {
  override readonly name = 'ActionRefusedError';
}

/** Executes operator actions on inventory devices over NETCONF. */
export class DeviceActions {
  constructor(
    private readonly sessions: DeviceSessions,
    private readonly ftp?: FtpTarget,
  ) {}

  /** Runs one action; device-side errors become a failed outcome, never a throw. */
  async run(device: string, action: OperatorAction, progress: ActionProgress = () => undefined): Promise<ActionOutcome> {
    try {
      return await this.execute(device, action, progress);
    } catch (err) {
      if (err instanceof RpcError) {
        const messages = err.errors.filter((e) => e.severity === 'error').map((e) => e.message);
        const joined = messages.join('; ');
        // Junos gives no error tag for it: its message is the only thing to tell it by.
        if (/another shutdown is running/i.test(joined)) return refused('another shutdown is running on the device (cancel-reboot clears it)');
        return failed(`device refused: ${joined}`);
      }
      if (err instanceof ActionRefusedError || err instanceof UnknownDeviceError) return refused(err.message);
      if (err instanceof NetconfError) return failed(err.message);
      return failed(`${(err as Error).name}: ${(err as Error).message}`);
    }
  }

  private async execute(device: string, action: OperatorAction, progress: ActionProgress): Promise<ActionOutcome> {
    switch (action.kind) {
      case 'command': {
        const attr = action.format === 'text' ? ' format="text"' : '';
        const r = await this.sessions.withSession(device, (s) => s.rpc(`<command${attr}>${escapeXml(action.command)}</command>`));
        const output = action.format === 'text' ? (text(r.reply, 'output') ?? '') : r.xml;
        return { outcome: 'succeeded', detail: `ran "${action.command}"`, output, artifacts: [] };
      }
      case 'reboot': {
        const spec = this.sessions.device(device);
        let arg = '';
        let when = 'now';
        if (action.inMinutes !== undefined && action.at !== undefined) throw new ActionRefusedError('reboot: give inMinutes or at, not both');
        if (action.inMinutes !== undefined) {
          arg = `<in>${action.inMinutes}</in>`;
          when = `in ${action.inMinutes} min`;
        } else if (action.at !== undefined) {
          // Junos reads `at` in its own clock's zone (spec §1.6): convert the UTC instant.
          const local = DateTime.fromSeconds(action.at, { zone: spec.timezone });
          if (!local.isValid) throw new ActionRefusedError(`reboot: bad time zone ${spec.timezone}`);
          arg = `<at>${local.toFormat('yyMMddHHmm')}</at>`;
          when = `at ${DateTime.fromSeconds(action.at, { zone: 'utc' }).toFormat("yyyy-MM-dd'T'HH:mm'Z'")} (${local.toFormat('yyyy-MM-dd HH:mm')} ${spec.timezone})`;
        }
        try {
          const r = await this.sessions.withSession(device, (s) => s.rpc(`<request-reboot>${arg}</request-reboot>`));
          const status = text(child(r.reply, 'request-reboot-results'), 'request-reboot-status') ?? '';
          return { outcome: 'succeeded', detail: `reboot ${when}: ${status.replace(/\s+/g, ' ')}`, artifacts: [] };
        } catch (err) {
          // A reboot now may drop the session before the reply: accepted, unconfirmed (spec §6).
          if (err instanceof SessionClosedError && arg === '') return { outcome: 'succeeded', detail: 'reboot now: the session dropped (accepted, unconfirmed)', artifacts: [] };
          throw err;
        }
      }
      case 'cancel-reboot': {
        const r = await this.sessions.withSession(device, (s) => s.rpc('<clear-reboot/>'));
        const status = text(child(r.reply, 'clear-reboot-results'), 'clear-reboot-status') ?? 'cleared';
        return { outcome: 'succeeded', detail: `cancel reboot: ${status}`, artifacts: [] };
      }
      case 'restart-daemon': {
        const r = await this.sessions.withSession(device, (s) => s.rpc(`<restart-daemon><daemon-name>${escapeXml(action.daemon)}</daemon-name><${action.mode}/></restart-daemon>`));
        return { outcome: 'succeeded', detail: `restart ${action.daemon} ${action.mode}: ${text(r.reply, 'output') ?? 'ok'}`, artifacts: [] };
      }
      case 'jtac-bundle':
        return this.jtacBundle(device, action.jtacCase, progress);
    }
  }

  private async jtacBundle(device: string, jtacCase: string, progress: ActionProgress): Promise<ActionOutcome> {
    if (!this.ftp) throw new ActionRefusedError('jtac-bundle: no FTP server configured (JTAC_FTP_HOST)');
    if (!/^[A-Za-z0-9-]{1,40}$/.test(jtacCase)) throw new ActionRefusedError('jtac-bundle: the case id may hold letters, digits and dashes only');
    const ftp = this.ftp;
    const stamp = DateTime.utc().toFormat('yyyyMMdd-HHmmss');
    const rsi = `/var/log/RSI-${device}-${stamp}.txt`;
    const tgz = `/var/tmp/Support-${device}-${stamp}.tgz`;
    // A session of its own: the RSI takes minutes and must not hold the shared queue.
    const bytes = await this.sessions.withOwnSession(device, async (s: NetconfSession) => {
      progress('rsi', {});
      // Saved on the box through the CLI (an exec channel): `| save` is not honoured over <command>.
      await s.exec(`request support information | save ${rsi}`, 60 * 60_000);
      progress('archive', {});
      await s.rpc(`<file-archive><compress/><source>/var/log/*</source><destination>${tgz}</destination></file-archive>`, { timeoutMs: 30 * 60_000 });
      progress('fetch', {});
      const got = await s.rpc(`<file-get><filename>${tgz}</filename><encoding>base64</encoding></file-get>`, { timeoutMs: 30 * 60_000 });
      const data = Buffer.from(text(child(got.reply, 'file-get-results'), 'file-contents') ?? '', 'base64');
      progress('cleanup', {});
      for (const path of [rsi, tgz]) await s.rpc(`<file-delete><path>${path}</path></file-delete>`).catch(() => undefined);
      return data;
    });
    if (bytes.length === 0) throw new ActionRefusedError('jtac-bundle: the device returned an empty archive');
    const name = tgz.split('/').pop() as string;
    const dir = `${ftp.dir.replace(/\/+$/, '')}/${jtacCase}`;
    const client = new FtpClient(60_000);
    try {
      await client.access({
        host: ftp.host,
        port: ftp.port,
        user: ftp.user,
        password: ftp.password,
        secure: ftp.tls,
        secureOptions: ftp.tls ? { rejectUnauthorized: true, ca: ftp.caFile ? await readFile(ftp.caFile) : undefined, servername: isIP(ftp.host) ? undefined : ftp.host } : undefined,
      });
      await client.ensureDir(dir);
      client.trackProgress((info) => progress('upload', { bytes: info.bytes }));
      await client.uploadFrom(Readable.from(bytes), name);
      client.trackProgress();
    } catch (err) {
      throw new NetconfError(`jtac-bundle: FTP upload to ${ftp.host}:${ftp.port} failed: ${(err as Error).message}`, { cause: err });
    } finally {
      client.close();
    }
    const location = `${ftp.tls ? 'ftps' : 'ftp'}://${ftp.host}:${ftp.port}${dir.startsWith('/') ? '' : '/'}${dir}/${name}`;
    return { outcome: 'succeeded', detail: `JTAC bundle for case ${jtacCase}: ${bytes.length} bytes uploaded`, artifacts: [location] };
  }
}

function refused(detail: string): ActionOutcome {
  return { outcome: 'refused', detail, artifacts: [] };
}

function failed(detail: string): ActionOutcome {
  return { outcome: 'failed', detail, artifacts: [] };
}
