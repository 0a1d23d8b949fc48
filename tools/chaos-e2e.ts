// npm run chaos [-- --mails N --fuzz M]: faults during a backfill through the whole chain, with
// figures. Own nats-server and PostgreSQL (they are restarted: NATS_URL / DATABASE_URL are not
// used), the four mail services as built processes, notifications to a fake Slack.
//  1. N provider-format mails (default 2,000) are imported while, one after another, each
//     service is SIGKILLed and started again, then nats-server and PostgreSQL are restarted;
//     the k-th of the n faults fires once k/(n+1) of the mails are accounted, so each one lands
//     while work is in hand (a fault that finds nothing outstanding fails the run). Afterwards:
//     notices lost (stored but not accounted, or published but not stored), duplicate
//     maintenances (two rows for one provider key), duplicate Slack posts (the same event
//     posted twice).
//  2. M fuzzed mails (default 10,000: the fixtures mutated by a seeded PRNG: truncated, bytes
//     flipped, headers damaged, junk spliced in, huge lines) through the chain: services that
//     died, notices not accounted.
// Exits 1 when any of those figures is not 0.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownNats, ownPostgres, prng, until } from '@maintwatch/testing';
import { backfill } from '../apps/ingest/src/backfill/backfill';
import { arg, CHAIN_APPS, chainPosts, copy, mbox, startChain, templates, type Chain } from './e2e-chain';

function mutate(raw: string, rnd: () => number, n: number): string {
  const at = (s: string) => Math.floor(rnd() * Math.max(1, s.length));
  let s = raw;
  const ops = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < ops; k++) {
    switch (Math.floor(rnd() * 6)) {
      case 0:
        s = s.slice(0, at(s));
        break;
      case 1: {
        const chars = s.split('');
        for (let j = 0; j < 1 + rnd() * 20; j++) chars[at(s)] = String.fromCharCode(Math.floor(rnd() * 256));
        s = chars.join('');
        break;
      }
      case 2:
        s = s.replace(/^(Content-Type|Content-Transfer-Encoding|From|Date|Subject):[^\r\n]*/im, (h) => h.slice(0, Math.floor(rnd() * h.length)));
        break;
      case 3: {
        const i = at(s);
        s = s.slice(0, i) + ['=?utf-8?B?', '--', '\r\n\r\n', 'BEGIN:VEVENT', '<table><tr><td>', '\u0000'][Math.floor(rnd() * 6)].repeat(1 + Math.floor(rnd() * 50)) + s.slice(i);
        break;
      }
      case 4: {
        const i = at(s);
        s = s.slice(0, i) + 'x'.repeat(Math.floor(rnd() * 200_000)) + s.slice(i);
        break;
      }
      default:
        s = s.replace(/boundary="?([^";\r\n]+)"?/i, `boundary="b${n}"`);
    }
  }
  // Its own Message-ID, so that ingest's seen-set does not fold copies together.
  return `Message-ID: <fuzz-${n}@chaos.invalid>\r\n${s.replace(/^Message-ID:[^\r\n]*\r?\n/im, '')}`;
}

/** Figures of a run: each must be 0. */
async function audit(c: Chain, source: string, published: number, posted: number): Promise<Record<string, number>> {
  const a = await c.accounted(source);
  const [dups] = await c.query<{ n: string }>(`SELECT count(*) AS n FROM (SELECT provider_type, maintenance_id FROM maintenance GROUP BY 1, 2 HAVING count(*) > 1) d`);
  const [keys] = await c.query<{ keys: string; rows: string }>(
    `SELECT (SELECT count(DISTINCT (provider_type, maintenance_key)) FROM parsed_record) AS keys, (SELECT count(*) FROM maintenance) AS rows`,
  );
  // The same rendered message twice is the same event posted twice (each names its notice or maintenance version).
  const seen = new Map<string, number>();
  for (const m of chainPosts(c).slice(posted)) {
    const key = JSON.stringify({ text: m.text, blocks: m.blocks });
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return {
    'notices not stored': published - a.stored,
    'notices not accounted': a.stored - a.accounted,
    'duplicate maintenances': Number(dups.n) + Math.max(0, Number(keys.rows) - Number(keys.keys)),
    'duplicate Slack posts': [...seen.values()].reduce((n, k) => n + (k - 1), 0),
  };
}

async function main(): Promise<number> {
  const mails = arg('mails', 2000);
  const fuzzed = arg('fuzz', 10_000);
  const dir = mkdtempSync(join(tmpdir(), 'chaos-'));
  const [nats, pg] = await Promise.all([ownNats(), ownPostgres({ durable: true })]);
  let chain: Chain | undefined;
  let bad = 0;
  try {
    chain = await startChain(nats.url, pg.url);
    const c = chain;
    const ts = templates();

    // 1. Faults during a backfill.
    const file = join(dir, 'chaos.mbox');
    writeFileSync(file, mbox(Array.from({ length: mails }, (_, i) => copy(ts[i % ts.length], i))));
    const posted = chainPosts(c).length;
    const started = performance.now();
    // The import runs beside the faults; one interrupted by the nats restart is run again
    // (ingest's seen-set makes a re-run publish only what is missing).
    const importing = (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await backfill(c.bus, { path: file, source: 'chaos' });
          return;
        } catch (err) {
          if (attempt >= 10) throw err;
          console.log(`import interrupted (${err instanceof Error ? err.message : err}); running it again`);
          await until(async () => c.bus.nc.isClosed() === false, 30_000, 'NATS back');
        }
      }
    })();
    // The faults are spread over the backfill by progress: the k-th of n fires once k/(n+1) of
    // the mails are accounted, so each one lands while the chain has work in hand (the chain got
    // fast enough that "after some progress" let the later faults hit an idle chain). Each fault
    // prints how many notices were still outstanding when it fired; a fault that found none did
    // not test anything and fails the run.
    const FAULTS = CHAIN_APPS.length + 2;
    const faults: string[] = [];
    const idleFaults: string[] = [];
    const fire = async (k: number, what: string, act: () => Promise<void>) => {
      const threshold = Math.floor((mails * k) / (FAULTS + 1));
      await until(() => c.accountedAtLeast('chaos', threshold), 600_000, `${threshold} accounted before ${what}`);
      const outstanding = mails - (await c.accounted('chaos')).accounted;
      if (outstanding <= 0) idleFaults.push(what);
      await act();
      faults.push(what);
      console.log(`  ${((performance.now() - started) / 1000).toFixed(1)} s: ${what} with ${outstanding} notices outstanding`);
    };
    let k = 0;
    for (const app of CHAIN_APPS) {
      await fire(++k, `SIGKILL ${app}`, async () => {
        await c.kill(app);
        await c.start(app);
      });
    }
    await fire(++k, 'nats-server restart', () => nats.restart());
    await fire(++k, 'PostgreSQL restart', () => pg.restart());
    await importing;
    console.log(`  ${((performance.now() - started) / 1000).toFixed(1)} s: import done`);
    await until(() => c.accountedAtLeast('chaos', mails), 600_000, 'every notice accounted after the faults');
    await until(() => c.notifierIdle(), 600_000, 'the notifier idle');
    const seconds = (performance.now() - started) / 1000;
    const figures = await audit(c, 'chaos', mails, posted);
    console.log(`chaos: ${mails} mails in ${seconds.toFixed(1)} s through ${faults.join(', ')}`);
    for (const [name, v] of Object.entries(figures)) {
      console.log(`  ${name}: ${v}`);
      bad += v;
    }
    console.log(`  faults that found the chain idle: ${idleFaults.length}${idleFaults.length ? ` (${idleFaults.join(', ')})` : ''}`);
    bad += idleFaults.length;

    // 2. Fuzzed mails.
    const rnd = prng(Number(process.env['CHAOS_SEED'] ?? 0xc4a05));
    const fuzzFile = join(dir, 'fuzz.mbox');
    writeFileSync(fuzzFile, mbox(Array.from({ length: fuzzed }, (_, i) => mutate(ts[Math.floor(rnd() * ts.length)].raw, rnd, i))));
    const fuzzStarted = performance.now();
    const report = await backfill(c.bus, { path: fuzzFile, source: 'fuzz' });
    await until(() => c.accountedAtLeast('fuzz', report.published), 900_000, 'every fuzzed notice accounted');
    const dead = CHAIN_APPS.filter((app) => c.apps.get(app)?.child.exitCode !== null);
    const f = await c.accounted('fuzz');
    console.log(`fuzz: ${report.published} of ${fuzzed} mails published (the mbox reader splits damaged ones as it finds them), ${f.stored} stored, ${f.accounted} accounted in ${((performance.now() - fuzzStarted) / 1000).toFixed(1)} s`);
    console.log(`  services crashed: ${dead.length}${dead.length ? ` (${dead.join(', ')})` : ''}`);
    console.log(`  fuzzed notices not accounted: ${f.stored - f.accounted}`);
    console.log(`  fuzzed notices published but not stored: ${report.published - f.stored}`);
    bad += dead.length + (f.stored - f.accounted) + (report.published - f.stored);
    return bad === 0 ? 0 : 1;
  } finally {
    await chain?.close();
    await pg.stop();
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
