import { z } from 'zod';

// Query strings arrive as text: these schemas read them (and say so in the OpenAPI document).

/** A time as epoch seconds or an ISO 8601 date-time, read as epoch seconds. */
export const TimeParam = z
  .union([z.string().regex(/^\d{1,12}$/), z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((v) => (/^\d+$/.test(v) ? Number(v) : Math.floor(Date.parse(v) / 1000)))
  .describe('epoch seconds, or an ISO 8601 date or date-time');

/** true / false. */
export const BoolParam = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .describe('true or false');

/** Page size. */
export const LimitParam = z.coerce.number().int().min(1).max(500).default(50).describe('items per page (1-500)');

/** An opaque page cursor (nextCursor of the previous page). */
export const CursorParam = z.string().min(1).max(2048).describe('nextCursor of the previous page');

/** A comma-separated list of values of an enum. */
export function listParam<T extends string>(values: z.ZodEnum<{ [K in T]: K }>) {
  return z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(values).min(1))
    .describe(`comma-separated: ${values.options.join(', ')}`);
}

/** The next-page cursor of a list, absent on the last page. */
export const PageInfo = { nextCursor: z.string().optional().describe('pass as cursor for the next page; absent on the last page') };

/** Error body of every failed request. */
export const ErrorBody = z
  .object({
    statusCode: z.number().int(),
    error: z.string(),
    message: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Error' });
/** Error body. */
export type ErrorBody = z.infer<typeof ErrorBody>;
