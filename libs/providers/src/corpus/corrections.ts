/**
 * Where the acceptance corpus' expected values are the reference library's misreading of what
 * the provider wrote, and the corpus in ../shared does not carry the correction itself: the
 * values Maintwatch gives instead, with the evidence. The runner compares against the corrected
 * record and says how many cases it corrected; the README lists each difference.
 */
export interface CorpusCorrection {
  /** The case, as CorpusCase.name gives it. */
  case: string;
  /** Fields of the case's expected record(s) replaced, per record index. */
  records: Record<number, Record<string, unknown>>;
  why: string;
}

// Epochs of local San Jose times (America/Los_Angeles, PDT in June = UTC-7).
const pdt = (iso: string) => Date.parse(`${iso}-07:00`) / 1000;

export const CORPUS_CORRECTIONS: readonly CorpusCorrection[] = [
  {
    case: '_other/cogent/case01',
    records: { 0: { start: pdt('2021-06-12T00:00:00'), end: pdt('2021-06-12T06:00:00') } },
    why:
      'Cogent writes month/day/year: "Start time: 12:00 AM (local time) 06/12/2021" in a notice sent Mon, May 24 is 12 June 2021 ' +
      '(a Saturday night), not 6 December; the reference reads it day-first. Cogent\'s other notices agree ("11/3/2022" sent on 3 Nov 2022).',
  },
  {
    case: '_other/cogent/case02',
    records: { 0: { start: pdt('2021-06-11T00:00:00'), end: pdt('2021-06-11T03:00:00') } },
    why: 'Cogent writes month/day/year: the correction of "06/11/2021", sent Tue, May 25, is 11 June 2021, not 6 November.',
  },
];

/** The expected records of a case with its correction applied (unchanged when it has none). */
export function correctedExpected(caseName: string, expected: unknown[]): { expected: unknown[]; correction?: CorpusCorrection } {
  const correction = CORPUS_CORRECTIONS.find((c) => c.case === caseName);
  if (!correction) return { expected };
  return {
    expected: expected.map((r, i) => (correction.records[i] ? { ...(r as object), ...correction.records[i] } : r)),
    correction,
  };
}
