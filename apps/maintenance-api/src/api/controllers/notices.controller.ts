import { Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiResource } from '../api-controller.decorator';
import { ErrorDto } from '../dto/error.dto';
import { NoticeDetailDto, NoticePageDto, NoticeQueryDto, RecordPageDto, RecordQueryDto, ReprocessAllDto, ReprocessDto } from '../dto/notices.dto';
import { NoticeService } from '../notices/notice.service';

/** Stored notices: lists, the original mail, what the parser made of it, reprocessing. */
@ApiResource('notices', 'notices')
@ApiBadRequestResponse({ description: 'invalid input, with a message per field', type: ErrorDto })
export class NoticesController {
  constructor(@Inject(NoticeService) private readonly notices: NoticeService) {}

  @Get()
  @ApiOperation({ summary: 'Stored notices, newest first, with what became of their latest attempt' })
  @ApiOkResponse({ type: NoticePageDto })
  list(@Query() q: NoticeQueryDto) {
    return this.notices.list(q);
  }

  @Get('parsed')
  @ApiOperation({ summary: 'Parsed records (one per maintenance a notice attempt gave), newest first' })
  @ApiOkResponse({ type: RecordPageDto })
  parsed(@Query() q: RecordQueryDto) {
    return this.notices.records('parsed', q);
  }

  @Get('unparsed')
  @ApiOperation({ summary: 'Notices the parser could not read, with the reasons, newest first' })
  @ApiOkResponse({ type: RecordPageDto })
  unparsed(@Query() q: RecordQueryDto) {
    return this.notices.records('unparsed', q);
  }

  @Get('ignored')
  @ApiOperation({ summary: 'Mail that is not a maintenance notice, with the reason, newest first' })
  @ApiOkResponse({ type: RecordPageDto })
  ignored(@Query() q: RecordQueryDto) {
    return this.notices.records('ignored', q);
  }

  @Post('unparsed/reprocess')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send every notice whose latest attempt ended unparsed to the parser again' })
  @ApiAcceptedResponse({ type: ReprocessAllDto })
  @ApiServiceUnavailableResponse({ description: 'NATS unavailable', type: ErrorDto })
  reprocessUnparsed() {
    return this.notices.reprocessUnparsed();
  }

  @Get(':noticeId')
  @ApiOperation({ summary: 'A notice with its parsed, unparsed and ignored records' })
  @ApiOkResponse({ type: NoticeDetailDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  detail(@Param('noticeId') noticeId: string) {
    return this.notices.detail(noticeId);
  }

  @Get(':noticeId/raw')
  @ApiOperation({ summary: 'The original mail (.eml), as received' })
  @ApiProduces('message/rfc822')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ type: ErrorDto })
  async raw(@Param('noticeId') noticeId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const n = await this.notices.raw(noticeId);
    const file = n.noticeId.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
    void reply.header('Content-Type', 'message/rfc822').header('Content-Disposition', `attachment; filename="${file}.eml"`);
    return n.body;
  }

  @Post(':noticeId/reprocess')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a notice to the parser again (attempt + 1, a new message id)' })
  @ApiAcceptedResponse({ type: ReprocessDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiServiceUnavailableResponse({ description: 'NATS unavailable', type: ErrorDto })
  reprocess(@Param('noticeId') noticeId: string) {
    return this.notices.reprocess(noticeId);
  }
}
