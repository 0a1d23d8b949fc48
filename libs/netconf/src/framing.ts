import { FramingError } from './errors';

// RFC 6242 framing is written here by hand: no maintained npm library implements it (the
// issue and the spec's survey), and it is small. Both directions work on bytes, never on
// JS strings, because chunk sizes count UTF-8 octets.

const EOM = Buffer.from(']]>]]>');
const LF = 0x0a;
const HASH = 0x23;
const MAX_CHUNK = 4294967295;

/** The two RFC 6242 framings: base:1.0 end-of-message and base:1.1 chunked. */
export type Framing = 'eom' | 'chunked';

/** Frames one message with the base:1.0 end-of-message marker. */
export function encodeEom(xml: string): Buffer {
  return Buffer.concat([Buffer.from(xml, 'utf8'), Buffer.from('\n'), EOM]);
}

/** Frames one message in base:1.1 chunks of at most `maxChunk` bytes each. */
export function encodeChunked(xml: string, maxChunk = 65536): Buffer {
  const data = Buffer.from(xml, 'utf8');
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; at += maxChunk) {
    const chunk = data.subarray(at, Math.min(at + maxChunk, data.length));
    parts.push(Buffer.from(`\n#${chunk.length}\n`), chunk);
  }
  parts.push(Buffer.from('\n##\n'));
  return Buffer.concat(parts);
}

/** Frames one message in the given framing. */
export function encodeMessage(xml: string, framing: Framing, maxChunk?: number): Buffer {
  return framing === 'eom' ? encodeEom(xml) : encodeChunked(xml, maxChunk);
}

/**
 * Streaming RFC 6242 decoder: push() any slice of the byte stream, whole messages come out
 * through `onMessage`, in order. The framing may be switched from inside `onMessage` (after
 * the hellos); bytes already buffered are then read in the new framing.
 */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private scanFrom = 0;
  private chunks: Buffer[] = [];
  private failed = false;

  constructor(
    private readonly onMessage: (message: string) => void,
    public framing: Framing = 'eom',
    /** Refuse a message larger than this many bytes (a peer must not make us buffer forever). */
    private readonly maxMessageBytes = 512 * 1024 * 1024,
  ) {}

  /** Feeds bytes; throws FramingError (and refuses further input) on malformed framing. */
  push(data: Buffer): void {
    if (this.failed) throw new FramingError('decoder already failed');
    this.buf = this.buf.length === 0 ? data : Buffer.concat([this.buf, data]);
    try {
      for (;;) {
        const progressed = this.framing === 'eom' ? this.nextEom() : this.nextChunk();
        if (!progressed) break;
      }
    } catch (err) {
      this.failed = true;
      throw err;
    }
  }

  /** Bytes received but not yet part of a whole message. */
  get pendingBytes(): number {
    return this.buf.length + this.chunks.reduce((n, c) => n + c.length, 0);
  }

  private nextEom(): boolean {
    const at = this.buf.indexOf(EOM, this.scanFrom);
    if (at < 0) {
      if (this.buf.length > this.maxMessageBytes) throw new FramingError(`message over ${this.maxMessageBytes} bytes`);
      // The marker may straddle two reads: rescan its possible start next time.
      this.scanFrom = Math.max(0, this.buf.length - (EOM.length - 1));
      return false;
    }
    const message = this.buf.subarray(0, at).toString('utf8');
    this.buf = this.buf.subarray(at + EOM.length);
    this.scanFrom = 0;
    this.onMessage(message);
    return true;
  }

  private nextChunk(): boolean {
    const b = this.buf;
    let p = 0;
    // Between messages only, tolerate stray whitespace (Junos and yuma123 send a newline
    // after the EOM-framed hello); inside a message the grammar is strict.
    if (this.chunks.length === 0) {
      while (p < b.length && isSpace(b[p])) {
        // A LF may be the start of the next header: stop there unless the byte after it says otherwise.
        if (b[p] === LF && (p + 1 >= b.length || b[p + 1] === HASH)) break;
        p++;
      }
      if (p > 0) {
        this.buf = b.subarray(p);
        return this.buf.length > 0;
      }
    }
    if (b.length < 3) {
      this.checkPrefix(b);
      return false;
    }
    if (b[0] !== LF || b[1] !== HASH) throw new FramingError(`bad chunk header start ${JSON.stringify(b.subarray(0, 8).toString('latin1'))}`);
    if (b[2] === HASH) {
      if (b.length < 4) return false;
      if (b[3] !== LF) throw new FramingError('bad end-of-chunks marker');
      if (this.chunks.length === 0) throw new FramingError('end-of-chunks without a chunk');
      const message = Buffer.concat(this.chunks).toString('utf8');
      this.chunks = [];
      this.buf = b.subarray(4);
      this.onMessage(message);
      return true;
    }
    // chunk-size = 1*10DIGIT, first digit 1-9; then LF.
    let q = 2;
    let size = 0;
    while (q < b.length && b[q] >= 0x30 && b[q] <= 0x39) {
      if (q === 2 && b[q] === 0x30) throw new FramingError('chunk size with a leading zero');
      if (q - 2 >= 10) throw new FramingError('chunk size over 10 digits');
      size = size * 10 + (b[q] - 0x30);
      q++;
    }
    if (q === b.length) {
      if (q - 2 > 10) throw new FramingError('chunk size over 10 digits');
      return false;
    }
    if (q === 2) throw new FramingError('chunk header without a size');
    if (b[q] !== LF) throw new FramingError('chunk size not followed by LF');
    if (size < 1 || size > MAX_CHUNK) throw new FramingError(`chunk size ${size} out of range`);
    const start = q + 1;
    if (b.length < start + size) {
      if (this.pendingBytes > this.maxMessageBytes) throw new FramingError(`message over ${this.maxMessageBytes} bytes`);
      return false;
    }
    this.chunks.push(b.subarray(start, start + size));
    this.buf = b.subarray(start + size);
    return true;
  }

  /** Fails early on a prefix that can never become a header (instead of waiting for more bytes). */
  private checkPrefix(b: Buffer): void {
    if (b.length >= 1 && b[0] !== LF) throw new FramingError('bad chunk header start');
    if (b.length >= 2 && b[1] !== HASH) throw new FramingError('bad chunk header start');
  }
}

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === LF;
}
