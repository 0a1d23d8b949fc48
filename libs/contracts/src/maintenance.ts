import { z } from 'zod';

/** BCOP maintenance status values (X-MAINTNOTE-STATUS), as circuit-maintenance-parser emits them. */
export const MaintenanceStatus = z.enum([
  'TENTATIVE',
  'CONFIRMED',
  'CANCELLED',
  'IN-PROCESS',
  'COMPLETED',
  'RE-SCHEDULED',
  'NO-CHANGE',
]);
/** One of the BCOP maintenance statuses. */
export type MaintenanceStatus = z.infer<typeof MaintenanceStatus>;

/** BCOP impact values (X-MAINTNOTE-IMPACT). */
export const Impact = z.enum(['NO-IMPACT', 'REDUCED-REDUNDANCY', 'DEGRADED', 'OUTAGE']);
/** One of the BCOP impact values. */
export type Impact = z.infer<typeof Impact>;

/** A circuit named by a notice, with the impact the provider announced for it. */
export const CircuitImpact = z.strictObject({
  circuit_id: z.string().min(1),
  impact: Impact,
});
/** A circuit and its impact. */
export type CircuitImpact = z.infer<typeof CircuitImpact>;

const epochSeconds = z.number().int().nonnegative();

/**
 * A maintenance exactly as circuit-maintenance-parser outputs it: 12 keys, no more,
 * times in UTC epoch seconds. Circuits may be empty only for CANCELLED / COMPLETED.
 */
export const Maintenance = z
  .strictObject({
    provider: z.string().min(1),
    account: z.string().min(1),
    maintenance_id: z.string().min(1),
    circuits: z.array(CircuitImpact),
    status: MaintenanceStatus,
    start: epochSeconds,
    end: epochSeconds,
    stamp: epochSeconds,
    organizer: z.string().min(1),
    uid: z.string(),
    sequence: z.number().int(),
    summary: z.string(),
  })
  .superRefine((m, ctx) => {
    if (m.end <= m.start) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: `end (${m.end}) must be after start (${m.start})` });
    }
    if (m.circuits.length === 0 && m.status !== 'CANCELLED' && m.status !== 'COMPLETED') {
      ctx.addIssue({
        code: 'custom',
        path: ['circuits'],
        message: `no circuits, which only a CANCELLED or COMPLETED notice may omit (status ${m.status})`,
      });
    }
  });
/** A maintenance record in the circuit-maintenance-parser JSON shape. */
export type Maintenance = z.infer<typeof Maintenance>;

/**
 * A further window of the same maintenance that the notice names besides its primary one
 * (a BSO "backup timeslot"): kept beside the 12-key record, never inside it.
 */
export const AlternateWindow = z
  .strictObject({
    start: epochSeconds,
    end: epochSeconds,
    label: z.enum(['backup']),
  })
  .refine((w) => w.end > w.start, { message: 'end must be after start', path: ['end'] });
/** A further window of a maintenance (see AlternateWindow). */
export type AlternateWindow = z.infer<typeof AlternateWindow>;

/** The 12 keys of a maintenance record, in the reference's (sorted) order. */
export const MAINTENANCE_KEYS = [
  'account',
  'circuits',
  'end',
  'maintenance_id',
  'organizer',
  'provider',
  'sequence',
  'stamp',
  'start',
  'status',
  'summary',
  'uid',
] as const;
