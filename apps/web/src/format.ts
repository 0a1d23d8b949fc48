import type { Impact, MaintenanceSummary } from './api/client';

/** The operator's time zone (the browser's). */
export const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

const local = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const utc = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** Epoch seconds in the operator's zone. */
export const fmtLocal = (s: number) => local.format(new Date(s * 1000));
/** Epoch seconds in UTC. */
export const fmtUtc = (s: number) => `${utc.format(new Date(s * 1000))} UTC`;

/** Impacts, least to most severe. */
export const IMPACTS: Impact[] = ['NO-IMPACT', 'REDUCED-REDUNDANCY', 'DEGRADED', 'OUTAGE'];
/** Colour of each impact (calendar and badges); text stays readable on each. */
export const IMPACT_COLOURS: Record<Impact, string> = { 'NO-IMPACT': '#2e7d32', 'REDUCED-REDUNDANCY': '#b26a00', DEGRADED: '#c2410c', OUTAGE: '#b91c1c' };

/** The most severe impact of a maintenance's circuits. */
export function worstImpact(m: Pick<MaintenanceSummary, 'circuits'>): Impact {
  let worst: Impact = 'NO-IMPACT';
  for (const c of m.circuits) if (IMPACTS.indexOf(c.impact) > IMPACTS.indexOf(worst)) worst = c.impact;
  return worst;
}

/** Redundancy groups that lose redundancy: the maintenance overlaps another on circuits of these groups. */
export function lostRedundancy(m: MaintenanceSummary): string[] {
  if (!m.overlapping) return [];
  return [...new Set(m.circuits.map((c) => c.redundancyGroup).filter((g): g is string => !!g))];
}
