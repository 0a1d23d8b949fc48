/** Injection token of IntakeOptions. */
export const INTAKE_OPTIONS = Symbol('INTAKE_OPTIONS');

/** How the intake applies notices. */
export interface IntakeOptions {
  /** Unknown circuit ids: create an unverified circuit (and a warning note), or only note them. */
  unknownCircuits: 'create' | 'note';
  /** A new maintenance covering a RE-SCHEDULED one's circuits within this many seconds of its window replaces it. */
  linkHorizonSeconds: number;
  /** starting-soon lead, seconds (a reschedule into the lead keeps starting-soon from firing twice). */
  leadSeconds: number;
  /** Parsed maintenances applied in one transaction at most (those that arrive while one is running). */
  batchSize: number;
  /** Batches applied at once. */
  batchesInFlight: number;
  /** The time, epoch seconds (tests move it). */
  now: () => number;
}
