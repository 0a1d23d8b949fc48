import { BadRequestException, Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { DEVICE_EVENT_KINDS } from '@maintwatch/contracts';
import { Store } from '@maintwatch/persistence';
import { ReadTokenGuard } from './read-token.guard';

const ListQuery = z.strictObject({
  device: z.string().min(1).optional(),
  kind: z.enum(DEVICE_EVENT_KINDS).optional(),
  maxPriority: z.coerce.number().int().min(1).max(3).optional(),
  before: z.string().regex(/^[1-9][0-9]{0,18}$/, 'must be the id of a listed event').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** Stored device events, newest first: GET /api/v1/device-events?device=&kind=&maxPriority=&before=&limit= */
@Controller('api/v1/device-events')
@UseGuards(ReadTokenGuard)
export class DeviceEventsController {
  constructor(@Inject(Store) private readonly store: Store) {}

  @Get()
  async list(@Query() query: Record<string, string>): Promise<{ items: unknown[]; next?: string }> {
    const q = ListQuery.safeParse(query);
    if (!q.success) throw new BadRequestException(q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const rows = await this.store.repos.deviceEvents.list(q.data);
    const items = rows.map((r) => ({ id: r.id, ...r.event, source: r.source, ...(r.publishedAt !== undefined ? { publishedAt: r.publishedAt } : {}) }));
    return rows.length === q.data.limit ? { items, next: rows[rows.length - 1]?.id } : { items };
  }
}
