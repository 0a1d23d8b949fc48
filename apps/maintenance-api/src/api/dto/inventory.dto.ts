import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { DrainPolicy } from '@maintwatch/contracts';
import { CIRCUIT_TYPES } from '@maintwatch/persistence';
import { BoolParam, CursorParam, LimitParam, PageInfo } from './common.dto';

const name = z.string().trim().min(1).max(512);
const nullable = <T extends z.ZodType>(s: T) => s.nullable().optional();
const sender = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^([^@\s]+@)?[a-z0-9.-]+\.[a-z]{2,}$/, 'an e-mail address or a domain');

/** A device binding: where the junos-gateway acts for a circuit. */
export const DeviceBindingBody = z
  .strictObject({
    device: z.string().trim().min(1).max(255),
    interface: z.string().trim().min(1).max(255).optional(),
    bgpGroup: z.string().trim().min(1).max(255).optional(),
    bgpNeighbor: z.string().trim().min(1).max(255).optional(),
    drain: DrainPolicy.meta({ id: 'DrainPolicy' }).optional(),
  })
  .superRefine((b, ctx) => {
    // A drain policy must name what it drains: a BGP neighbor (and its group) or an interface.
    const m = b.drain?.method;
    if ((m === 'graceful-shutdown' || m === 'deactivate-neighbor') && !(b.bgpGroup && b.bgpNeighbor))
      ctx.addIssue({ code: 'custom', path: ['drain', 'method'], message: `${m} needs bgpGroup and bgpNeighbor` });
    if (m === 'disable-interface' && !b.interface) ctx.addIssue({ code: 'custom', path: ['drain', 'method'], message: 'disable-interface needs interface' });
  })
  .meta({ id: 'DeviceBinding' });
/** Body of PUT /circuits/:id/device-binding. */
export class DeviceBindingDto extends createZodDto(DeviceBindingBody) {}

/** A provider. */
export const ProviderView = z
  .object({
    type: z.string(),
    name: z.string(),
    senders: z.array(z.string()),
    defaultOrganizer: z.string().optional(),
    enabled: z.boolean(),
    builtIn: z.boolean(),
    edited: z.object({ name: z.string().optional(), senders: z.array(z.string()).optional(), defaultOrganizer: z.string().optional() }),
  })
  .meta({ id: 'Provider' });
/** Response: a provider. */
export class ProviderViewDto extends createZodDto(ProviderView) {}

/** Body of POST /providers. */
export class CreateProviderDto extends createZodDto(
  z.strictObject({
    type: z.string().regex(/^[a-z0-9-]{1,64}$/, 'lower-case letters, digits and "-" (max 64)'),
    name,
    senders: z.array(sender).max(100).default([]),
    defaultOrganizer: z.email().optional(),
    enabled: z.boolean().optional(),
  }),
) {}

/** Body of PATCH /providers/:type: a value sets a field, null returns it to the built-in default. */
export class UpdateProviderDto extends createZodDto(
  z.strictObject({
    name: nullable(name),
    senders: nullable(z.array(sender).max(100)),
    defaultOrganizer: nullable(z.email()),
    enabled: z.boolean().optional(),
  }),
) {}

/** A circuit. */
export const CircuitView = z
  .object({
    id: z.uuid(),
    providerType: z.string(),
    providerCircuitId: z.string(),
    aliases: z.array(z.string()),
    aSide: z.string().optional(),
    zSide: z.string().optional(),
    type: z.enum(CIRCUIT_TYPES).optional(),
    description: z.string().optional(),
    redundancyGroup: z.string().optional(),
    deviceBinding: DeviceBindingBody.optional(),
    verified: z.boolean(),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .meta({ id: 'Circuit' });
/** Response: a circuit. */
export class CircuitViewDto extends createZodDto(CircuitView) {}

/** Response: a page of circuits. */
export class CircuitPageDto extends createZodDto(z.object({ items: z.array(CircuitView), ...PageInfo }).meta({ id: 'CircuitPage' })) {}

const circuitFields = {
  aSide: nullable(z.string().trim().max(512)),
  zSide: nullable(z.string().trim().max(512)),
  type: nullable(z.enum(CIRCUIT_TYPES)),
  description: nullable(z.string().max(4096)),
  redundancyGroup: nullable(z.string().trim().min(1).max(255)),
  deviceBinding: nullable(DeviceBindingBody),
  verified: z.boolean().optional(),
};

/** Body of POST /circuits. */
export class CreateCircuitDto extends createZodDto(
  z.strictObject({ providerType: z.string().min(1).max(64), providerCircuitId: name, aliases: z.array(name).max(50).optional(), ...circuitFields }),
) {}

/** Body of PATCH /circuits/:id (null clears a field). */
export class UpdateCircuitDto extends createZodDto(z.strictObject(circuitFields)) {}

/** Body of POST /circuits/:id/aliases. */
export class AddAliasDto extends createZodDto(z.strictObject({ alias: name })) {}

/** Query of GET /circuits. */
export class CircuitQueryDto extends createZodDto(
  z.strictObject({
    provider: z.string().min(1).max(64).optional(),
    redundancyGroup: z.string().min(1).max(255).optional(),
    verified: BoolParam.optional(),
    device: z.string().min(1).max(255).optional(),
    q: z.string().min(1).max(255).optional().describe('part of any of its names'),
    limit: LimitParam,
    cursor: CursorParam.optional(),
  }),
) {}

/** Query of POST /circuits/import. */
export class ImportQueryDto extends createZodDto(
  z.strictObject({ dryRun: BoolParam.optional().describe('check every row against the store as it is (rows do not see each other), change nothing') }),
) {}

/** Response of POST /circuits/import: one entry per data row. */
export class ImportReportDto extends createZodDto(
  z
    .object({
      created: z.number().int(),
      updated: z.number().int(),
      failed: z.number().int(),
      dryRun: z.boolean(),
      rows: z.array(
        z.object({
          line: z.number().int().describe('line of the CSV file (the header is line 1)'),
          outcome: z.enum(['created', 'updated', 'failed']),
          circuitId: z.uuid().optional(),
          errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
        }),
      ),
    })
    .meta({ id: 'ImportReport' }),
) {}

/** Response: redundancy groups. */
export class RedundancyGroupDto extends createZodDto(z.object({ name: z.string(), circuits: z.number().int() }).meta({ id: 'RedundancyGroup' })) {}

/** Response: a redundancy group with its circuits. */
export class RedundancyGroupDetailDto extends createZodDto(
  z.object({ name: z.string(), circuits: z.array(CircuitView) }).meta({ id: 'RedundancyGroupDetail' }),
) {}
