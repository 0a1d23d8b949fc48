// netconf rpc: round trips a second against the Junos simulator over one session (issue 16 §5).
// Usage: npx tsx tools/bench-junos-netconf.ts [--seconds N] [--chunked]
import { NetconfSession } from '@maintwatch/netconf';
import { startJunosSimulator } from '@maintwatch/testing';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const seconds = Number(args[args.indexOf('--seconds') + 1] || 10) || 10;
  const chunked = args.includes('--chunked');
  const sim = await startJunosSimulator({ base11: chunked });
  const s = await NetconfSession.connect({ device: 'bench', host: sim.host, port: sim.port, username: 'lab', password: 'lab123', hostKey: { pinned: [sim.hostKeyFingerprint] } });
  try {
    // Warm-up: JIT and SSH windows.
    for (let i = 0; i < 200; i++) await s.rpc('<get-software-information/>');
    const end = performance.now() + seconds * 1000;
    const started = performance.now();
    let n = 0;
    while (performance.now() < end) {
      await s.rpc('<get-software-information/>');
      n++;
    }
    const rate = n / ((performance.now() - started) / 1000);
    console.log(`framing: ${s.framing}, ${n} round trips in ${seconds} s`);
    console.log(`netconf rpc: ${rate.toFixed(0)} /s`);
  } finally {
    await s.close();
    await sim.stop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
