/** Injection token of ApiOptions. */
export const API_OPTIONS = Symbol('API_OPTIONS');

/** What the HTTP API needs of the configuration. */
export interface ApiOptions {
  /** The starting-soon lead (default window of the starting-soon shortcut), seconds. */
  leadSeconds: number;
  /** Maintenances in one calendar feed at most. */
  calendarLimit: number;
  /** How long a calendar feed looks back, seconds (maintenances that ended earlier are left out). */
  calendarLookbackSeconds: number;
  /** The time, epoch seconds (tests move it). */
  now: () => number;
}
