// npm run parse -- [--provider TYPE] FILE...: parses each mail file and prints its outcome as
// JSON (the maintenances, or unparsed / ignored with the reasons). Exit code 1 when any file
// ends unparsed, 2 on a usage error or an unreadable file.
import { readFileSync } from 'node:fs';
import { builtInRegistry, parseMail, type ParseOutcome } from '@maintwatch/providers';

const USAGE = 'usage: npm run parse -- [--provider TYPE] FILE...';

/** What is printed for one file: the outcome without the per-processor detail unless it failed. */
function report(file: string, outcome: ParseOutcome): Record<string, unknown> {
  switch (outcome.kind) {
    case 'parsed':
      return {
        file,
        kind: outcome.kind,
        provider: outcome.providerType,
        parsers: outcome.parsers,
        maintenances: outcome.maintenances,
        ...(outcome.warnings.length ? { warnings: outcome.warnings } : {}),
      };
    case 'unparsed':
      return {
        file,
        kind: outcome.kind,
        provider: outcome.providerType,
        sender: outcome.sender,
        subject: outcome.subject,
        reasons: outcome.reasons,
      };
    case 'ignored':
      return { file, kind: outcome.kind, provider: outcome.providerType, sender: outcome.sender, subject: outcome.subject, reasons: [outcome.reason] };
  }
}

async function main(argv: string[]): Promise<number> {
  const files: string[] = [];
  let providerHint: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--provider') {
      providerHint = argv[++i];
      if (!providerHint) {
        console.error(USAGE);
        return 2;
      }
    } else if (arg.startsWith('--provider=')) providerHint = arg.slice('--provider='.length);
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 0;
    } else files.push(arg);
  }
  if (files.length === 0) {
    console.error(USAGE);
    return 2;
  }
  const registry = builtInRegistry();
  if (providerHint && !registry.get(providerHint)) {
    console.error(`unknown provider "${providerHint}"; known: ${registry.list().map((p) => p.type).join(', ')}`);
    return 2;
  }
  let unparsed = 0;
  let unreadable = 0;
  for (const file of files) {
    let raw: Buffer;
    try {
      raw = readFileSync(file);
    } catch (err) {
      console.error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
      unreadable++;
      continue;
    }
    const outcome = await parseMail(raw, { registry, providerHint });
    if (outcome.kind === 'unparsed') unparsed++;
    console.log(JSON.stringify(report(file, outcome), null, 2));
  }
  if (unreadable > 0) return 2;
  return unparsed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
