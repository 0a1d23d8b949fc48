import { BadRequestException, Body, Controller, Get, Headers, Inject, NotFoundException, Param, Post, Query, Req, Res, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Store } from '@maintwatch/persistence';
import { ReadTokenGuard, type AuthenticatedRequest } from '../events/read-token.guard';
import { ActionBody, describeIssues } from './action-request.dto';
import { ActionIdConflictError, ActionsService } from './actions.service';
import { WriteTokenGuard } from './write-token.guard';

const ListQuery = z.strictObject({
  device: z.string().min(1).optional(),
  kind: z.enum(['command', 'reboot', 'cancel-reboot', 'restart-daemon', 'jtac-bundle']).optional(),
  outcome: z.enum(['pending', 'running', 'succeeded', 'failed', 'refused']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
const IdempotencyKey = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'Idempotency-Key: 1-100 of letters, digits and ._:-');
// Long actions answer 202 at once; the others wait for the device.
const BACKGROUND = new Set(['jtac-bundle']);

/**
 * Operator actions: POST /api/v1/devices/:device/actions (write token), GET /api/v1/actions,
 * GET /api/v1/actions/:id (any token).
 */
@Controller('api/v1')
export class ActionsController {
  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(ActionsService) private readonly actions: ActionsService,
  ) {}

  @Post('devices/:device/actions')
  @UseGuards(WriteTokenGuard)
  async run(
    @Param('device') device: string,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const action = ActionBody.safeParse(body ?? {});
    if (!action.success) throw new BadRequestException(`invalid action: ${describeIssues(action.error)}`);
    const idem = key === undefined ? undefined : IdempotencyKey.safeParse(key);
    if (idem && !idem.success) throw new BadRequestException(describeIssues(idem.error));
    let known: boolean;
    try {
      known = await this.actions.knows(device);
    } catch (err) {
      throw new ServiceUnavailableException(`the device inventory cannot be read: ${(err as Error).message}`);
    }
    if (!known) throw new NotFoundException(`device ${device} is not in the gateway's inventory`);
    const background = BACKGROUND.has(action.data.kind);
    try {
      const { record, created } = await this.actions.submit(
        { device, action: action.data, requestedBy: req.apiToken?.name ?? 'unknown', source: 'rest', ...(idem?.success ? { requestKey: `rest:${req.apiToken?.name}:${idem.data}` } : {}) },
        !background,
      );
      await res.status(background && created ? 202 : 200).send(record);
    } catch (err) {
      if (err instanceof ActionIdConflictError) throw new BadRequestException(err.message);
      throw err;
    }
  }

  @Get('actions')
  @UseGuards(ReadTokenGuard)
  async list(@Query() query: Record<string, string>): Promise<{ items: unknown[]; total: number; limit: number; offset: number }> {
    const q = ListQuery.safeParse(query);
    if (!q.success) throw new BadRequestException(describeIssues(q.error));
    const { items, total } = await this.store.repos.deviceActions.list(q.data);
    return { items: items, total, limit: q.data.limit, offset: q.data.offset };
  }

  @Get('actions/:id')
  @UseGuards(ReadTokenGuard)
  async get(@Param('id') id: string): Promise<unknown> {
    const found = id.length <= 128 ? await this.store.repos.deviceActions.get(id) : undefined;
    if (!found) throw new NotFoundException(`no action ${id}`);
    return found;
  }
}

