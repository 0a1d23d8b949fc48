import { splitLabel } from './common';

const LABEL = /^[A-Za-z][A-Za-z ]*$/;

describe(splitLabel.name, () => {
  it.each([
    ['Event ID: 4471902', { label: 'Event ID', value: '4471902' }],
    ['Start Time  :  March 31, 2025 14:00 GMT', { label: 'Start Time', value: 'March 31, 2025 14:00 GMT' }],
    ['Time: 14:00', { label: 'Time', value: '14:00' }],
    ['Label:', { label: 'Label', value: '' }],
  ])('splits "%s" at its first colon', (line, expected) => {
    expect(splitLabel(line, LABEL)).toEqual(expected);
  });

  it.each(['no colon here', ' Leading: blank', '1st: digit', 'Dash-ed: x'])('refuses "%s"', (line) => {
    expect(splitLabel(line, LABEL)).toBeUndefined();
  });

  it('is linear on 100 KB of blanks before and after a colon', () => {
    const t0 = performance.now();
    expect(splitLabel(`A${' '.repeat(100_000)}x`, LABEL)).toBeUndefined();
    expect(splitLabel(`A${' '.repeat(100_000)}:${' '.repeat(100_000)}x`, LABEL)).toEqual({ label: 'A', value: 'x' });
    expect(performance.now() - t0).toBeLessThan(100);
  });
});
