import { once } from 'node:events';
import { gunzipSync } from 'node:zlib';
import { HostKeyError, MemoryHostKeyStore, NetconfSession, RpcError, RpcTimeoutError, SessionClosedError, child, text, type SessionOptions } from '@maintwatch/netconf';
import { startJunosSimulator, type JunosSimulator } from './junos-simulator';

function opts(sim: JunosSimulator, extra: Partial<SessionOptions> = {}): SessionOptions {
  return { device: 'sim', host: sim.host, port: sim.port, username: 'lab', password: 'lab123', hostKey: { pinned: [sim.hostKeyFingerprint] }, ...extra };
}

async function waitFor(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each([
  ['eom', false],
  ['chunked', true],
] as const)('NetconfSession against the Junos simulator (%s)', (framing, base11) => {
  let sim: JunosSimulator;
  let s: NetconfSession;
  beforeAll(async () => {
    sim = await startJunosSimulator({ base11, minuteMs: 400, delays: { 'get-system-storage': 1500 } });
  });
  beforeEach(async () => {
    s = await NetconfSession.connect(opts(sim));
  });
  afterEach(async () => {
    await s.close();
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('hello - negotiates the framing and sees Junos', () => {
    expect(s.framing).toBe(framing);
    expect(s.isJunos).toBe(true);
    expect(s.sessionId).toMatch(/^\d+$/);
  });

  it('rpc - get-software-information and command in text and XML', async () => {
    const sw = await s.rpc('<get-software-information/>');
    expect(text(child(sw.reply, 'software-information'), 'junos-version')).toBe('23.4R1.9');
    const t = await s.rpc('<command format="text">show version</command>');
    expect(text(t.reply, 'output')).toContain('Model: mx204');
    const x = await s.rpc('<command>show bgp neighbor 192.0.2.1</command>');
    expect(text(child(child(x.reply, 'bgp-information'), 'bgp-peer'), 'peer-state')).toBe('Established');
  });

  it('rpc - many at once are queued and each gets its own reply', async () => {
    const cmds = ['show version', 'show bgp summary', 'show system uptime'];
    const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => s.rpc(`<command format="text">${cmds[i % 3]}</command>`)));
    replies.forEach((r, i) => expect(text(r.reply, 'output')).toContain(['Hostname:', 'Groups:', 'Current time:'][i % 3]));
    expect(new Set(replies.map((r) => r.messageId)).size).toBe(30);
  });

  it('rpc-error - typed, trimmed, and the session stays usable', async () => {
    const err = await s.rpc('<restart-daemon><daemon-name>nosuchd</daemon-name></restart-daemon>').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).errors[0]).toMatchObject({ severity: 'error', message: 'invalid daemon: nosuchd', info: { 'bad-element': 'nosuchd' } });
    const ok = await s.rpc('<restart-daemon><daemon-name>routing</daemon-name><immediately/></restart-daemon>');
    expect(text(ok.reply, 'output')).toMatch(/^routing started, pid \d+$/);
    expect(sim.state.restarts.at(-1)).toEqual({ daemon: 'routing', mode: 'immediately' });
  });

  it('timeout - a slow RPC times out, its late reply is discarded, the next RPC works', async () => {
    await expect(s.rpc('<get-system-storage/>', { timeoutMs: 300 })).rejects.toBeInstanceOf(RpcTimeoutError);
    const r = await s.rpc('<get-software-information/>');
    expect(child(r.reply, 'software-information')).toBeDefined();
    await waitFor(() => s.discardedReplies === 1, 'the late reply');
  });

  it('commit confirmed - rolls back by itself when not confirmed', async () => {
    await s.rpc('<lock><target><candidate/></target></lock>');
    await s.rpc('<load-configuration action="set" format="text"><configuration-set>deactivate protocols bgp group TRANSIT neighbor 192.0.2.1</configuration-set></load-configuration>');
    const check = await s.rpc('<commit-configuration><check/></commit-configuration>');
    expect(check.xml).toContain('commit-check-success');
    const rolledBack = once(sim.events, 'rollback');
    await s.rpc('<commit-configuration><confirmed/><confirm-timeout>1</confirm-timeout><log>drain CKT-1</log></commit-configuration>');
    expect(sim.state.running).toContain('deactivate protocols bgp group TRANSIT neighbor 192.0.2.1');
    await rolledBack;
    expect(sim.state.running).not.toContain('deactivate protocols bgp group TRANSIT neighbor 192.0.2.1');
    await s.rpc('<unlock><target><candidate/></target></unlock>');
  });

  it('commit confirmed - a confirming commit keeps the change', async () => {
    await s.rpc('<lock><target><candidate/></target></lock>');
    await s.rpc('<load-configuration action="set" format="text"><configuration-set>set interfaces xe-0/0/1 disable</configuration-set></load-configuration>');
    const rollbacks = sim.state.rollbacks;
    await s.rpc('<commit-configuration><confirmed/><confirm-timeout>2</confirm-timeout></commit-configuration>');
    await s.rpc('<commit-configuration/>');
    // Twice the confirm timeout: had the timer survived, it would have fired by now.
    await new Promise((r) => setTimeout(r, 1700));
    expect(sim.state.rollbacks).toBe(rollbacks);
    expect(sim.state.running).toContain('set interfaces xe-0/0/1 disable');
    await s.rpc('<load-configuration action="set" format="text"><configuration-set>delete interfaces xe-0/0/1 disable</configuration-set></load-configuration>');
    await s.rpc('<commit-configuration/>');
    await s.rpc('<unlock><target><candidate/></target></unlock>');
  });

  it('lock - a second session is denied with the holder session-id', async () => {
    await s.rpc('<lock><target><candidate/></target></lock>');
    const other = await NetconfSession.connect(opts(sim));
    const err = (await other.rpc('<lock><target><candidate/></target></lock>').catch((e: unknown) => e)) as RpcError;
    expect(err).toBeInstanceOf(RpcError);
    expect(err.errors[0]).toMatchObject({ tag: 'lock-denied', info: { 'session-id': s.sessionId } });
    await other.close();
    await s.rpc('<unlock><target><candidate/></target></unlock>');
  });

  it('reboot - in N minutes, "another shutdown is running", clear-reboot', async () => {
    const r = await s.rpc('<request-reboot><in>30</in></request-reboot>');
    expect(text(child(r.reply, 'request-reboot-results'), 'request-reboot-status')).toMatch(/^Shutdown at .+\.\n\[pid \d+\]$/);
    const again = (await s.rpc('<request-reboot/>').catch((e: unknown) => e)) as RpcError;
    expect(again.errors[0].message).toContain('another shutdown is running');
    await s.rpc('<clear-reboot/>');
    expect(sim.state.pendingReboot).toBeUndefined();
  });

  it('reboot - at a local time is read in the box zone', async () => {
    const at = new Date(Date.now() + 3 * 3600_000);
    at.setUTCSeconds(0, 0);
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', year: '2-digit', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
    const part = (t: string): string => local.find((p) => p.type === t)!.value;
    await s.rpc(`<request-reboot><at>${part('year')}${part('month')}${part('day')}${part('hour')}${part('minute')}</at></request-reboot>`);
    expect(sim.state.pendingReboot?.at).toBe(at.getTime());
    await s.rpc('<clear-reboot/>');
  });

  it('JTAC pieces - RSI saved by exec, /var/log archived, fetched back', async () => {
    const rsi = await s.rpc('<get-support-information format="text"/>', { timeoutMs: 60_000 });
    expect(text(rsi.reply, 'output')).toContain('Hostname: sim-mx1');
    const saved = await s.exec('request support information | save /var/log/RSI-test.txt');
    expect(saved).toMatch(/^Wrote \d+ lines of output to '\/var\/log\/RSI-test.txt'/);
    await expect(s.exec('request support information | save')).rejects.toThrow(/exited 1: error: syntax error/);
    await s.rpc('<file-archive><compress/><source>/var/log/*</source><destination>/var/tmp/Support-test.tgz</destination></file-archive>');
    const got = await s.rpc('<file-get><filename>/var/tmp/Support-test.tgz</filename><encoding>base64</encoding></file-get>');
    const bytes = Buffer.from(text(child(got.reply, 'file-get-results'), 'file-contents')!, 'base64');
    const archive = gunzipSync(bytes).toString();
    expect(archive).toContain('/var/log/RSI-test.txt');
    expect(archive).toContain('/var/log/messages');
    expect(archive).toContain('show system processes extensive');
    await s.rpc('<file-delete><path>/var/tmp/Support-test.tgz</path></file-delete>');
  });

  it('unknown operation - unknown-element with the bad element', async () => {
    const err = (await s.rpc('<get-frobnication/>').catch((e: unknown) => e)) as RpcError;
    expect(err.errors[0]).toMatchObject({ tag: 'unknown-element', info: { 'bad-element': 'get-frobnication' } });
  });
});

describe('NetconfSession host keys and logins', () => {
  let sim: JunosSimulator;
  let sim2: JunosSimulator;
  beforeAll(async () => {
    [sim, sim2] = await Promise.all([startJunosSimulator(), startJunosSimulator()]);
  });
  afterAll(async () => {
    await Promise.all([sim.stop(), sim2.stop()]);
  });

  it('refuses a key that is not the pinned one', async () => {
    await expect(NetconfSession.connect(opts(sim, { hostKey: { pinned: [sim2.hostKeyFingerprint] } }))).rejects.toBeInstanceOf(HostKeyError);
    expect(sim.sessions()).toBe(0);
  });

  it('refuses an unknown key without tofu', async () => {
    await expect(NetconfSession.connect(opts(sim, { hostKey: { store: new MemoryHostKeyStore() } }))).rejects.toThrow(/unknown host key SHA256:\S+ refused/);
  });

  it('tofu - records the first key, then refuses another', async () => {
    const store = new MemoryHostKeyStore();
    const first = await NetconfSession.connect(opts(sim, { hostKey: { tofu: true, store } }));
    await first.close();
    expect(store.keys.get('sim')).toBe(sim.hostKeyFingerprint);
    await expect(NetconfSession.connect(opts(sim2, { hostKey: { tofu: true, store } }))).rejects.toBeInstanceOf(HostKeyError);
  });

  it('a wrong password is a SessionClosedError that does not echo the password', async () => {
    const err = (await NetconfSession.connect(opts(sim, { password: 'wrong-secret-77' })).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(SessionClosedError);
    expect(err.message).not.toContain('wrong-secret-77');
  });

  it('reboot now - the session drops and pending RPCs fail as closed', async () => {
    const s = await NetconfSession.connect(opts(sim));
    await s.rpc('<request-reboot/>');
    await waitFor(() => s.closed, 'the session to drop');
    await expect(s.rpc('<get-software-information/>')).rejects.toBeInstanceOf(SessionClosedError);
    expect(sim.state.reboots).toHaveLength(1);
  });
});
