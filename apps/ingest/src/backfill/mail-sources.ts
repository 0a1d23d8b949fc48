import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** One mail read from a backfill source. */
export interface BackfillMail {
  /** Where it came from (file, or file + position in an mbox), for messages. */
  origin: string;
  raw: Buffer;
}

/**
 * Mails of a path: a Maildir (cur/ + new/), a folder of .eml files (recursively, sorted), or
 * an mbox file. Streams, so a large mbox is never held whole in memory.
 */
export async function* readMailSource(path: string): AsyncGenerator<BackfillMail> {
  const st = await stat(path);
  if (st.isFile()) {
    yield* readMbox(path);
    return;
  }
  const entries = await readdir(path, { withFileTypes: true });
  const isMaildir = ['cur', 'new', 'tmp'].every((d) => entries.some((e) => e.isDirectory() && e.name === d));
  if (isMaildir) {
    for (const sub of ['cur', 'new']) {
      const files = (await readdir(join(path, sub))).sort();
      for (const f of files) yield { origin: join(path, sub, f), raw: await readFile(join(path, sub, f)) };
    }
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(path, e.name);
    if (e.isDirectory()) yield* readMailSource(p);
    else if (e.name.toLowerCase().endsWith('.eml')) yield { origin: p, raw: await readFile(p) };
    else if (e.name.toLowerCase().endsWith('.mbox')) yield* readMbox(p);
  }
}

/**
 * mbox (mboxo/mboxrd): a mail starts at a "From " line at the start of the file or after an
 * empty line; ">From " quoting is undone. Written by hand: the npm mbox readers are unmaintained,
 * and the format is this one rule.
 */
async function* readMbox(path: string): AsyncGenerator<BackfillMail> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'latin1' }), crlfDelay: Infinity });
  let current: string[] | undefined;
  let index = 0;
  let previousBlank = true;
  const flush = (): BackfillMail | undefined => {
    if (!current) return undefined;
    while (current.length && current[current.length - 1] === '') current.pop();
    const mail = { origin: `${path}#${index}`, raw: Buffer.from(current.join('\r\n') + '\r\n', 'latin1') };
    index++;
    return mail;
  };
  // latin1 keeps every byte as it is (8-bit bodies in unknown charsets must arrive unchanged).
  for await (const line of lines) {
    if (previousBlank && line.startsWith('From ')) {
      const mail = flush();
      if (mail) yield mail;
      current = [];
    } else if (current) {
      current.push(/^>+From /.test(line) ? line.slice(1) : line);
    }
    previousBlank = line === '';
  }
  const last = flush();
  if (last) yield last;
}
