import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startJunosSimulator, type JunosSimulator } from './junos-simulator';

const run = promisify(execFile);
// Debian's python3 carries python3-ncclient (spec §3.1); a pyenv python3 on PATH does not.
const PYTHON = '/usr/bin/python3';

describe.each([false, true])('Junos simulator - ncclient junos handler (base11 %s)', (base11) => {
  let sim: JunosSimulator;
  const sent: string[] = [];
  beforeAll(async () => {
    if (!existsSync(PYTHON)) throw new Error(`${PYTHON} missing: apt-get install python3-ncclient (scripts/ensure-services.sh)`);
    sim = await startJunosSimulator({ base11, trace: (dir, xml) => dir === 'in' && sent.push(xml) });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('answers what ncclient sends: rpc, command, lock, load set, commit confirmed, commit, errors', async () => {
    const { stdout } = await run(PYTHON, [join(__dirname, 'junos-simulator-ncclient.py'), String(sim.port), 'lab', 'lab123'], { timeout: 60_000 });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ base11, version: '23.4R1.9', confirmed: true, confirm: true });
    expect(out.show_version).toContain('Hostname: sim-mx1');
    expect(String(out.invalid_daemon)).toContain('invalid daemon: nosuchd');
    // ncclient's own XML reached the box: prefixed rpc, minutes from 300 s, the comment as <log>.
    expect(sent.some((x) => /<nc:rpc [^>]*message-id="urn:uuid:/.test(x))).toBe(true);
    expect(sim.state.commits.map((c) => [c.confirmedMinutes, c.log])).toEqual([
      [5, 'drain CKT-123'],
      [undefined, undefined],
    ]);
    expect(sim.state.running).toContain('deactivate protocols bgp group TRANSIT neighbor 192.0.2.1');
    expect(sim.state.lockedBy).toBeUndefined();
  });
});
