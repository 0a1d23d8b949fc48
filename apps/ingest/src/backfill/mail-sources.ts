import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BackfillSourceError } from '../errors';

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
 * empty line; ">From " quoting is undone and line ends become CRLF, as on the wire. Written by
 * hand: the npm mbox readers are unmaintained, and the format is this one rule. Reads 1 MB
 * chunks as Latin-1 (every byte kept: 8-bit bodies in unknown charsets arrive unchanged) and cuts
 * whole mails out of them, so a large mbox is never held whole in memory.
 */
async function* readMbox(path: string): AsyncGenerator<BackfillMail> {
  let text = '';
  let searchFrom = 0;
  let index = 0;
  let start = -1; // where the current mail's text starts (after its "From " line)
  const toMail = (body: string): BackfillMail => ({ origin: `${path}#${index++}`, raw: mboxMail(body) });
  for await (const chunk of createReadStream(path, { encoding: 'latin1', highWaterMark: 1024 * 1024 })) {
    text += chunk as string;
    if (start < 0) {
      text = text.replace(/^(\r?\n)+/, '');
      if (text.length < 5 && !text.includes('\n')) continue;
      if (!text.startsWith('From ')) throw new BackfillSourceError(`${path} is not an mbox file (it does not start with a "From " line)`);
      const eol = text.indexOf('\n');
      if (eol < 0) continue;
      start = eol + 1;
      searchFrom = start;
    }
    for (;;) {
      const sep = nextSeparator(text, searchFrom);
      if (sep < 0) break;
      const eol = text.indexOf('\n', sep + 1);
      if (eol < 0) break; // the "From " line is not complete yet
      yield toMail(text.slice(start, sep));
      text = text.slice(eol + 1);
      start = 0;
      searchFrom = 0;
    }
    // The next separator may straddle this chunk and the next one.
    searchFrom = Math.max(start, text.length - 8);
  }
  if (start >= 0 && text.length > start) yield toMail(text.slice(start));
}

/** Index of the "\n" that ends the empty line before the next "From " line, or -1. */
function nextSeparator(text: string, from: number): number {
  for (let i = text.indexOf('\nFrom ', from); i >= 0; i = text.indexOf('\nFrom ', i + 1)) {
    const prev = text[i - 1] === '\r' ? i - 2 : i - 1;
    if (prev >= 0 && text[prev] === '\n') return i;
  }
  return -1;
}

/** One mbox entry as a mail: trailing empty lines dropped, ">From " unquoted, CRLF line ends. */
function mboxMail(body: string): Buffer {
  // Plain loops and split/join rather than anchored regexes: those backtrack over every line of a
  // 50 KB mail, which showed as the backfill's largest cost.
  let end = body.length;
  while (end > 0 && (body[end - 1] === '\n' || body[end - 1] === '\r')) end--;
  let text = body.slice(0, end);
  if (text.includes('>From ')) text = text.replace(/^>(>*From )/gm, '$1');
  text = text.includes('\r') ? text.replace(/\r?\n/g, '\r\n') : text.split('\n').join('\r\n');
  return Buffer.from(`${text}\r\n`, 'latin1');
}
