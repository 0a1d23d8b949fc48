/** Injection token of OverlapOptions. */
export const OVERLAP_OPTIONS = Symbol('OVERLAP_OPTIONS');

/** How overlaps are found. */
export interface OverlapOptions {
  /** Count circuits a maintenance names as NO-IMPACT (default: no, they do not take a path down). */
  includeNoImpact: boolean;
  /** The time, epoch seconds (tests move it). */
  now: () => number;
}
