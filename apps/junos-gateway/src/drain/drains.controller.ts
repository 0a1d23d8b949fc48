import { Controller, Get, Inject, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { Store } from '@maintwatch/persistence';
import { ReadTokenGuard } from '../events/read-token.guard';

const Limit = z.coerce.number().int().min(1).max(500).default(50);

/** Drain jobs and their audited steps: GET /api/v1/drains, GET /api/v1/drains/:id */
@Controller('api/v1/drains')
@UseGuards(ReadTokenGuard)
export class DrainsController {
  constructor(@Inject(Store) private readonly store: Store) {}

  @Get()
  async list(@Query('limit') limit?: string): Promise<{ items: unknown[] }> {
    return { items: await this.store.repos.drains.list(Limit.parse(limit)) };
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<unknown> {
    if (!/^[1-9][0-9]{0,18}$/.test(id)) throw new NotFoundException(`no drain job ${id}`);
    const job = await this.store.repos.drains.get(id);
    if (!job) throw new NotFoundException(`no drain job ${id}`);
    return { ...job, steps: await this.store.repos.drains.steps(id) };
  }
}
