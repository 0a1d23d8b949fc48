import { FrameDecoder, encodeChunked, encodeEom } from './framing';
import { FramingError } from './errors';

function decodeAll(parts: Buffer[], framing: 'eom' | 'chunked'): string[] {
  const out: string[] = [];
  const d = new FrameDecoder((m) => out.push(m), framing);
  for (const p of parts) d.push(p);
  return out;
}

describe('FrameDecoder', () => {
  // Multi-byte UTF-8 on purpose: chunk sizes count octets, and a split may cut a character.
  const messages = ['<rpc-reply message-id="1"><ok/></rpc-reply>', '<rpc-reply message-id="2"><output>Zürich — 東京 ✓</output></rpc-reply>'];

  it('chunked - decodes multi-chunk messages at every split point', () => {
    // 7-byte chunks: headers, data and end markers all land on both sides of some split.
    const wire = Buffer.concat(messages.map((m) => encodeChunked(m, 7)));
    expect(wire.toString('latin1')).toContain('\n#7\n');
    for (let i = 0; i <= wire.length; i++) {
      expect(decodeAll([wire.subarray(0, i), wire.subarray(i)], 'chunked')).toEqual(messages);
    }
  });

  it('chunked - decodes byte by byte', () => {
    const wire = Buffer.concat(messages.map((m) => encodeChunked(m, 3)));
    expect(decodeAll([...wire].map((b) => Buffer.from([b])), 'chunked')).toEqual(messages);
  });

  it('chunked - sizes are octets, not characters', () => {
    const wire = encodeChunked('é', 1000);
    expect(wire.toString('latin1').startsWith('\n#2\n')).toBe(true);
    expect(decodeAll([Buffer.from('\n#2\n'), Buffer.from('é'), Buffer.from('\n##\n')], 'chunked')).toEqual(['é']);
  });

  it('eom - decodes at every split point, the marker straddling reads', () => {
    const wire = Buffer.concat(messages.map((m) => encodeEom(m)));
    for (let i = 0; i <= wire.length; i++) {
      expect(decodeAll([wire.subarray(0, i), wire.subarray(i)], 'eom').map((m) => m.trim())).toEqual(messages);
    }
  });

  it('switches to chunked after the hello, bytes already buffered included', () => {
    const hello = '<hello><capabilities/></hello>';
    const wire = Buffer.concat([encodeEom(hello), Buffer.from('\n'), encodeChunked(messages[0], 5)]);
    for (let i = 0; i <= wire.length; i++) {
      const out: string[] = [];
      const d: FrameDecoder = new FrameDecoder((m) => {
        out.push(m.trim());
        d.framing = 'chunked';
      });
      d.push(wire.subarray(0, i));
      d.push(wire.subarray(i));
      expect(out).toEqual([hello, messages[0]]);
    }
  });

  it.each([
    ['no LF before #', '#3\nabc\n##\n'],
    ['size 0', '\n#0\n\n##\n'],
    ['leading zero', '\n#03\nabc\n##\n'],
    ['11 digits', '\n#12345678901\n'],
    ['size over 4294967295', '\n#4294967296\n'],
    ['letters in size', '\n#3a\nabc\n##\n'],
    ['end marker without chunk', '\n##\n'],
    ['missing LF after data', '\n#3\nabcX#\n'],
  ])('chunked - refuses malformed framing: %s', (_name, wire) => {
    expect(() => decodeAll([Buffer.from(wire)], 'chunked')).toThrow(FramingError);
  });

  it('chunked - waits (does not fail) on a partial header', () => {
    const out: string[] = [];
    const d = new FrameDecoder((m) => out.push(m), 'chunked');
    d.push(Buffer.from('\n#12'));
    expect(out).toEqual([]);
    d.push(Buffer.from('\n<ok/><ok/><o'));
    d.push(Buffer.from('\n##\n'));
    expect(out).toEqual(['<ok/><ok/><o']);
  });
});
