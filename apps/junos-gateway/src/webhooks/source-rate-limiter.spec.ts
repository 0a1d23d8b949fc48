import { SourceRateLimiter } from './source-rate-limiter';

describe(SourceRateLimiter.name, () => {
  it('lets a source send its burst, then refuses it while others still pass', () => {
    const sut = new SourceRateLimiter(1, 3);
    expect([1, 2, 3, 4].map(() => sut.take('192.0.2.1'))).toEqual([true, true, true, false]);
    expect(sut.take('192.0.2.2')).toBe(true);
  });

  it('keeps at most maxSources buckets, a new source still getting its burst', () => {
    const sut = new SourceRateLimiter(1, 1, 2);
    expect(sut.take('a', 0)).toBe(true);
    expect(sut.take('a', 0)).toBe(false);
    expect(sut.take('b', 0)).toBe(true);
    expect(sut.take('c', 0)).toBe(true);
    expect(sut.take('d', 0)).toBe(true);
  });
});
