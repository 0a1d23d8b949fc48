import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MemoryHostKeyStore, parseInventory } from '@maintwatch/netconf';
import { startFtpServer, startJunosSimulator, type FtpServerHandle, type JunosSimulator } from '@maintwatch/testing';
import { DeviceSessions } from '../devices/device-sessions';
import { DeviceActions, type FtpTarget } from './device-actions';

// Both clocks in a zone with a half-hour offset: a reboot time sent in UTC would be wrong.
const ZONE = 'Asia/Kolkata';

describe(DeviceActions.name, () => {
  let sim: JunosSimulator;
  let ftp: FtpServerHandle;
  let ftps: FtpServerHandle;
  let sessions: DeviceSessions;
  const target = (f: FtpServerHandle, extra: Partial<FtpTarget> = {}): FtpTarget => ({ host: f.host, port: f.port, dir: '/jtac', user: f.user, password: f.password, tls: false, ...extra });

  beforeAll(async () => {
    [sim, ftp, ftps] = await Promise.all([startJunosSimulator({ timezone: ZONE, rsiBytes: 300_000 }), startFtpServer(), startFtpServer({ tls: true })]);
    const inventory = parseInventory({ devices: [{ name: 'mx1', host: sim.host, port: sim.port, username: 'lab', passwordEnv: 'MX1_PASSWORD', hostKeys: [sim.hostKeyFingerprint], timezone: ZONE }] });
    sessions = new DeviceSessions(inventory, { MX1_PASSWORD: 'lab123' }, new MemoryHostKeyStore());
  });
  afterAll(async () => {
    await sessions.closeAll();
    await Promise.all([sim.stop(), ftp.stop(), ftps.stop()]);
  });

  it('command - text and XML output', async () => {
    const actions = new DeviceActions(sessions);
    const t = await actions.run('mx1', { kind: 'command', command: 'show version', format: 'text' });
    expect(t).toMatchObject({ outcome: 'succeeded' });
    expect(t.output).toContain('Model: mx204');
    const x = await actions.run('mx1', { kind: 'command', command: 'show version', format: 'xml' });
    expect(x.output).toMatch(/<junos-version>23\.4R1\.9<\/junos-version>/);
    const bad = await actions.run('mx1', { kind: 'command', command: 'show frobs', format: 'text' });
    expect(bad).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('syntax error') });
  });

  it('reboot - in N minutes, "another shutdown is running", cancel', async () => {
    const actions = new DeviceActions(sessions);
    const r = await actions.run('mx1', { kind: 'reboot', inMinutes: 45 });
    expect(r).toMatchObject({ outcome: 'succeeded', detail: expect.stringMatching(/^reboot in 45 min: Shutdown at /) });
    const again = await actions.run('mx1', { kind: 'reboot', inMinutes: 5 });
    expect(again).toEqual({ outcome: 'refused', detail: 'another shutdown is running on the device (cancel-reboot clears it)', artifacts: [] });
    expect(await actions.run('mx1', { kind: 'cancel-reboot' })).toMatchObject({ outcome: 'succeeded', detail: 'cancel reboot: Terminating...' });
    expect(sim.state.pendingReboot).toBeUndefined();
  });

  it('reboot - at a UTC time is sent in the device zone', async () => {
    const actions = new DeviceActions(sessions);
    const at = Math.floor(Date.now() / 60_000) * 60 + 2 * 3600;
    const r = await actions.run('mx1', { kind: 'reboot', at });
    expect(r.outcome).toBe('succeeded');
    expect(sim.state.pendingReboot?.at).toBe(at * 1000);
    expect(r.detail).toContain(ZONE);
    await actions.run('mx1', { kind: 'cancel-reboot' });
  });

  it('restart-daemon - gracefully, and "invalid daemon" reported', async () => {
    const actions = new DeviceActions(sessions);
    expect(await actions.run('mx1', { kind: 'restart-daemon', daemon: 'snmp', mode: 'gracefully' })).toMatchObject({ outcome: 'succeeded', detail: expect.stringMatching(/^restart snmp gracefully: snmp started, pid \d+$/) });
    expect(sim.state.restarts.at(-1)).toEqual({ daemon: 'snmp', mode: 'gracefully' });
    expect(await actions.run('mx1', { kind: 'restart-daemon', daemon: 'nosuchd', mode: 'immediately' })).toMatchObject({ outcome: 'failed', detail: 'device refused: invalid daemon: nosuchd' });
  });

  it.each([
    ['ftp', false],
    ['ftps', true],
  ] as const)('jtac-bundle - RSI, /var/log archive, uploaded over %s, cleaned up on the box', async (_name, tls) => {
    const server = tls ? ftps : ftp;
    const actions = new DeviceActions(sessions, target(server, { tls, caFile: server.certificate?.certFile }));
    const stages: string[] = [];
    let uploaded = 0;
    const r = await actions.run('mx1', { kind: 'jtac-bundle', jtacCase: `2026-1206-${tls ? 1 : 0}` }, (stage, d) => {
      if (!stages.includes(stage)) stages.push(stage);
      if (d.bytes !== undefined) uploaded = d.bytes;
    });
    expect(r.outcome).toBe('succeeded');
    expect(stages).toEqual(['rsi', 'archive', 'fetch', 'cleanup', 'upload']);
    const [location] = r.artifacts;
    expect(location).toMatch(new RegExp(`^${tls ? 'ftps' : 'ftp'}://127\\.0\\.0\\.1:${server.port}/jtac/2026-1206-${tls ? 1 : 0}/Support-mx1-\\d{8}-\\d{6}\\.tgz$`));
    expect(location).not.toContain(server.password);
    const dir = join(server.root, 'jtac', `2026-1206-${tls ? 1 : 0}`);
    const [file] = await readdir(dir);
    const bytes = await readFile(join(dir, file));
    expect(uploaded).toBe(bytes.length);
    const archive = gunzipSync(bytes).toString();
    expect(archive).toMatch(/\/var\/log\/RSI-mx1-\d{8}-\d{6}\.txt/);
    expect(archive).toContain('show system processes extensive');
    expect([...sim.state.files.keys()].filter((k) => k.includes('RSI-') || k.includes('Support-'))).toEqual([]);
  });

  it('jtac-bundle - a refused FTP login fails without the password in the detail', async () => {
    const actions = new DeviceActions(sessions, target(ftp, { password: 'not-the-password-42' }));
    const r = await actions.run('mx1', { kind: 'jtac-bundle', jtacCase: 'X1' });
    expect(r.outcome).toBe('failed');
    expect(r.detail).toMatch(/FTP upload to 127\.0\.0\.1:\d+ failed/);
    expect(r.detail).not.toContain('not-the-password-42');
    expect(ftp.refusedLogins).toBeGreaterThan(0);
  });

  it('an unknown device fails clearly', async () => {
    expect(await new DeviceActions(sessions).run('nope', { kind: 'cancel-reboot' })).toEqual({ outcome: 'refused', detail: 'device nope is not in the inventory', artifacts: [] });
  });
});
