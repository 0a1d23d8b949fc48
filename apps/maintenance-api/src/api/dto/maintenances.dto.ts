import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { DRAIN_METHODS, DRAIN_STEPS, Impact, MaintenanceStatus } from '@maintwatch/contracts';
import { CLOCK_PHASES, MAINTENANCE_SORTS, MAINTENANCE_TIMES, NOTE_LEVELS } from '@maintwatch/persistence';
import { BoolParam, CursorParam, LimitParam, listParam, PageInfo, TimeParam } from './common.dto';
import { CircuitView } from './inventory.dto';

/** Query of GET /maintenances. */
export class MaintenanceQueryDto extends createZodDto(
  z
    .strictObject({
      status: listParam(MaintenanceStatus).optional(),
      provider: z.string().min(1).max(64).optional(),
      circuit: z.string().min(1).max(512).optional().describe('circuit id, or any of its names'),
      redundancyGroup: z.string().min(1).max(255).optional(),
      from: TimeParam.optional().describe('windows ending after this time (epoch seconds or ISO 8601)'),
      to: TimeParam.optional().describe('windows starting before this time (epoch seconds or ISO 8601)'),
      when: z.enum(MAINTENANCE_TIMES).optional().describe('upcoming: not started; in-progress: window open now; past: window over'),
      unacknowledged: BoolParam.optional(),
      overlapping: BoolParam.optional().describe('overlapping another maintenance on redundant circuits'),
      sort: z.enum(MAINTENANCE_SORTS).default('start'),
      order: z.enum(['asc', 'desc']).default('asc'),
      limit: LimitParam,
      cursor: CursorParam.optional(),
    })
    .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from must be before to', path: ['from'] }),
) {}

/** Query of GET /maintenances/starting-soon. */
export class StartingSoonQueryDto extends createZodDto(
  z.strictObject({
    within: z.coerce.number().int().min(60).max(30 * 24 * 3600).optional().describe('seconds from now (default: the starting-soon lead)'),
    limit: LimitParam,
  }),
) {}

/** Query of GET /maintenances/in-progress. */
export class InProgressQueryDto extends createZodDto(z.strictObject({ limit: LimitParam })) {}

const window = z.object({ start: z.number().int(), end: z.number().int() });

/** A circuit of a maintenance in a list. */
const ListedCircuit = z.object({
  providerCircuitId: z.string(),
  impact: Impact,
  circuitId: z.uuid().optional(),
  redundancyGroup: z.string().optional(),
});

/** A maintenance as lists show it. */
export const MaintenanceSummary = z
  .object({
    id: z.uuid(),
    providerType: z.string(),
    maintenanceId: z.string(),
    account: z.string(),
    organizer: z.string(),
    uid: z.string(),
    status: MaintenanceStatus,
    start: z.number().int(),
    end: z.number().int(),
    summary: z.string(),
    sequence: z.number().int(),
    stamp: z.number().int(),
    version: z.number().int(),
    phase: z.enum(CLOCK_PHASES),
    acknowledged: z.object({ by: z.string(), at: z.number().int() }).optional(),
    replacesId: z.uuid().optional(),
    replacedById: z.uuid().optional(),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
    circuits: z.array(ListedCircuit),
    overlapping: z.boolean(),
  })
  .meta({ id: 'MaintenanceSummary' });
/** A maintenance summary. */
export type MaintenanceSummary = z.infer<typeof MaintenanceSummary>;

/** Response: a page of maintenances. */
export class MaintenancePageDto extends createZodDto(z.object({ items: z.array(MaintenanceSummary), ...PageInfo }).meta({ id: 'MaintenancePage' })) {}

/** Response: maintenances (shortcuts). */
export class MaintenanceListDto extends createZodDto(z.object({ items: z.array(MaintenanceSummary) }).meta({ id: 'MaintenanceList' })) {}

/** A note. */
export const NoteView = z
  .object({ id: z.uuid(), maintenanceId: z.uuid(), author: z.string(), level: z.enum(NOTE_LEVELS), text: z.string(), createdAt: z.number().int() })
  .meta({ id: 'Note' });
/** Response: a note. */
export class NoteViewDto extends createZodDto(NoteView) {}

/** An overlap of a maintenance with another. */
const OverlapView = z.object({
  with: z.object({ id: z.uuid(), providerType: z.string(), maintenanceId: z.string(), window }),
  sharedCircuits: z.array(z.string()),
  redundancyGroups: z.array(z.string()),
  detectedAt: z.number().int(),
});

/** Response: a maintenance with its circuits and impacts, window history, notes, notices and overlaps. */
export class MaintenanceDetailDto extends createZodDto(
  MaintenanceSummary.omit({ circuits: true })
    .extend({
      circuits: z.array(
        z.object({
          circuitRef: z.string().describe('the circuit id as the notice wrote it'),
          impact: Impact,
          circuit: CircuitView.optional().describe('the inventory circuit, when known'),
        }),
      ),
      replaces: z.string().optional().describe("the replaced maintenance's provider id"),
      replacedBy: z.string().optional(),
      windows: z.array(
        window.extend({
          sequence: z.number().int(),
          stamp: z.number().int(),
          noticeId: z.string().optional(),
          recordedAt: z.number().int(),
          label: z.enum(['primary', 'backup']).describe('primary: the window at the time (the last primary one is current); backup: a backup timeslot the notice named'),
        }),
      ),
      notes: z.array(NoteView),
      notices: z.array(
        z.object({
          noticeId: z.string(),
          attempt: z.number().int(),
          index: z.number().int(),
          outcome: z.string(),
          parsers: z.array(z.string()),
          receivedAt: z.number().int(),
          sender: z.string().optional(),
          subject: z.string().optional(),
        }),
      ),
      overlaps: z.array(OverlapView),
      drains: z
        .array(
          z.object({
            circuitId: z.string(),
            device: z.string(),
            method: z.enum(DRAIN_METHODS),
            dryRun: z.boolean().describe('the binding only checks: nothing is committed'),
            step: z.enum(DRAIN_STEPS).describe('the latest step the junos-gateway announced'),
            state: z.string().describe("the gateway's drain job state after that step (scheduled, drained, restored, dry-run, refused, rolled-back, ...)"),
            detail: z.string(),
            diff: z.string().optional().describe('`show | compare` of the change, when the step changed (or would change) the configuration'),
            at: z.number().int(),
            window,
          }),
        )
        .describe("the junos-gateway's drain of each bound circuit, as it last announced it (empty when no circuit is drained)"),
      authentication: z
        .object({ authenticated: z.boolean(), actionable: z.boolean(), reason: z.string() })
        .describe("whether the notice that set the maintenance is authenticated for the provider's domain, and so whether devices may be acted on for it"),
    })
    .meta({ id: 'MaintenanceDetail' }),
) {}

/** Body of POST /maintenances/:id/ack. */
export class AckDto extends createZodDto(z.strictObject({ by: z.string().trim().min(1).max(255).optional().describe("default: the token's name") })) {}

/** Body of POST /maintenances/:id/notes. */
export class CreateNoteDto extends createZodDto(
  z.strictObject({
    text: z.string().trim().min(1).max(10_000),
    level: z.enum(NOTE_LEVELS).default('info'),
    author: z.string().trim().min(1).max(255).optional().describe("default: the token's name"),
  }),
) {}

/** Body of PATCH /maintenances/:id/notes/:noteId. */
export class UpdateNoteDto extends createZodDto(
  z
    .strictObject({ text: z.string().trim().min(1).max(10_000).optional(), level: z.enum(NOTE_LEVELS).optional() })
    .refine((n) => n.text !== undefined || n.level !== undefined, { message: 'give text or level', path: ['text'] }),
) {}

/** Response: notes. */
export class NoteListDto extends createZodDto(z.object({ items: z.array(NoteView) }).meta({ id: 'NoteList' })) {}
