/**
 * A seeded pseudo-random sequence in [0, 1) (mulberry32): tiny, fast, and the same numbers on every
 * platform for a seed, so a fuzz or chaos run that found something can be run again exactly.
 * Not for anything secret.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
