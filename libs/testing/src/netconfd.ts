import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sshFingerprint } from '@maintwatch/netconf';
import { findBinary, makeTempDir, onFreePort, PortTakenError, removeDir, run, saysPortTaken, ServerProcess, sleep } from './child-process';
import { ServiceStartError } from './errors';

// A third-party NETCONF server for the client's tests: Debian's netconfd (yuma123) behind a
// private sshd, the recipe of junos-netconf.md §3.2. sshd hands the `netconf` subsystem to
// netconf-subsystem, which finds netconfd's UNIX socket by the connection's local port.

/** A running netconfd + sshd pair. */
export interface NetconfdHandle {
  readonly host: string;
  readonly port: number;
  /** A system user made for this instance (removed by stop()). */
  readonly username: string;
  readonly password: string;
  /** SHA256 fingerprints of the sshd host keys (ed25519, rsa). */
  readonly hostKeyFingerprints: string[];
  stop(): Promise<void>;
}

/** Starts netconfd and an sshd on a free loopback port (needs root: sshd and useradd). */
export async function startNetconfd(): Promise<NetconfdHandle> {
  const netconfd = findBinary('netconfd', 'netconfd');
  const sshd = existsSync('/usr/sbin/sshd') ? '/usr/sbin/sshd' : findBinary('sshd', 'openssh-server');
  const subsystem = existsSync('/usr/sbin/netconf-subsystem') ? '/usr/sbin/netconf-subsystem' : findBinary('netconf-subsystem', 'netconfd');
  if (process.getuid?.() !== 0) throw new ServiceStartError('startNetconfd needs root (a private sshd with password logins of a system user)');
  // sshd's privilege-separation directory.
  await mkdir('/run/sshd', { recursive: true });
  const dir = await makeTempDir('netconfd-');
  await chmod(dir, 0o755);
  // Its own user per instance: parallel test runs must not change each other's password.
  const username = `mwnc${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  await run('useradd', ['-M', '-d', dir, '-s', '/bin/bash', username]);
  await run('sh', ['-c', `echo '${username}:${password}' | chpasswd`]);
  for (const t of ['ed25519', 'rsa']) await run('ssh-keygen', ['-q', '-t', t, ...(t === 'rsa' ? ['-b', '3072'] : []), '-N', '', '-f', join(dir, `ssh_host_${t}_key`)]);
  const fingerprints = await Promise.all(
    ['ed25519', 'rsa'].map(async (t) => sshFingerprint(Buffer.from((await readFile(join(dir, `ssh_host_${t}_key.pub`), 'utf8')).split(' ')[1], 'base64'))),
  );
  const sock = join(dir, 'ncxserver.sock');
  let ncd: ServerProcess | undefined;
  let ssh: ServerProcess | undefined;
  const cleanup = async (): Promise<void> => {
    await ssh?.kill();
    await ncd?.kill();
    await run('userdel', [username]).catch(() => undefined);
    await removeDir(dir);
  };
  try {
    const port = await onFreePort(async (port) => {
      ncd = ServerProcess.spawn(netconfd, ['--no-startup', `--superuser=${username}`, '--module=iana-if-type', '--module=ietf-interfaces', `--ncxserver-sockname=${sock}`, `--port=${port}`, '--log-level=info'], { cwd: dir });
      const deadline = Date.now() + 15_000;
      while (!existsSync(sock)) {
        if (!ncd.running || Date.now() > deadline) throw new ServiceStartError(`netconfd did not open ${sock}: ${ncd.log.slice(-2000)}`);
        await sleep(50);
      }
      await writeFile(
        join(dir, 'sshd_config'),
        [
          `Port ${port}`,
          'ListenAddress 127.0.0.1',
          `HostKey ${dir}/ssh_host_ed25519_key`,
          `HostKey ${dir}/ssh_host_rsa_key`,
          `PidFile ${dir}/sshd.pid`,
          'UsePAM no',
          'PasswordAuthentication yes',
          'KbdInteractiveAuthentication no',
          'PubkeyAuthentication no',
          'PermitRootLogin no',
          `AllowUsers ${username}`,
          'StrictModes no',
          'LogLevel VERBOSE',
          `Subsystem netconf "${subsystem} --ncxserver-sockname=${port}@${sock}"`,
          '',
        ].join('\n'),
      );
      ssh = ServerProcess.spawn(sshd, ['-D', '-e', '-f', join(dir, 'sshd_config')], { cwd: dir });
      try {
        await ssh.waitForOutput(/Server listening on 127\.0\.0\.1 port/, 'sshd');
      } catch (err) {
        const log = ssh.log;
        await ssh.kill();
        await ncd.kill();
        if (saysPortTaken(log)) throw new PortTakenError(`port ${port} taken`);
        throw err;
      }
      return port;
    });
    return { host: '127.0.0.1', port, username, password, hostKeyFingerprints: fingerprints, stop: cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
