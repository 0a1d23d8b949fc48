import { Body, Delete, Get, Header, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiResource } from '../api-controller.decorator';
import { CurrentPrincipal, type Principal } from '../auth/api-auth.guard';
import { ErrorDto } from '../dto/error.dto';
import {
  AckDto,
  CreateNoteDto,
  InProgressQueryDto,
  MaintenanceDetailDto,
  MaintenanceListDto,
  MaintenancePageDto,
  MaintenanceQueryDto,
  NoteListDto,
  NoteViewDto,
  StartingSoonQueryDto,
  UpdateNoteDto,
} from '../dto/maintenances.dto';
import { MaintenanceViewService } from '../maintenances/maintenance-view.service';

/** Maintenances: lists with filters, shortcuts, detail, acks and notes. */
@ApiResource('maintenances', 'maintenances')
@ApiBadRequestResponse({ description: 'invalid input, with a message per field', type: ErrorDto })
export class MaintenancesController {
  constructor(@Inject(MaintenanceViewService) private readonly service: MaintenanceViewService) {}

  @Get()
  @ApiOperation({ summary: 'Maintenances, filtered, sorted, a page at a time' })
  @ApiOkResponse({ type: MaintenancePageDto })
  // The page comes as JSON text from PostgreSQL and is sent as it is.
  @Header('content-type', 'application/json; charset=utf-8')
  list(@Query() q: MaintenanceQueryDto): Promise<Buffer> {
    return this.service.listJson(q);
  }

  @Get('starting-soon')
  @ApiOperation({ summary: 'Maintenances starting soon (not cancelled), soonest first' })
  @ApiOkResponse({ type: MaintenanceListDto })
  startingSoon(@Query() q: StartingSoonQueryDto) {
    return this.service.startingSoon(q.within, q.limit);
  }

  @Get('in-progress')
  @ApiOperation({ summary: 'Maintenances under way now (not cancelled), ending soonest first' })
  @ApiOkResponse({ type: MaintenanceListDto })
  inProgress(@Query() q: InProgressQueryDto) {
    return this.service.inProgress(q.limit);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A maintenance with circuits and impacts, window history, notes, notices and overlaps' })
  @ApiOkResponse({ type: MaintenanceDetailDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  detail(@Param('id', ParseUUIDPipe) id: string) {
    return this.service.detail(id);
  }

  @Post(':id/ack')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge a maintenance' })
  @ApiOkResponse({ type: MaintenanceDetailDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  ack(@Param('id', ParseUUIDPipe) id: string, @Body() body: AckDto, @CurrentPrincipal() who: Principal) {
    return this.service.ack(id, body.by, who);
  }

  @Delete(':id/ack')
  @ApiOperation({ summary: 'Remove the acknowledgement' })
  @ApiOkResponse({ type: MaintenanceDetailDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  unack(@Param('id', ParseUUIDPipe) id: string) {
    return this.service.unack(id);
  }

  @Get(':id/notes')
  @ApiOperation({ summary: 'The notes of a maintenance' })
  @ApiOkResponse({ type: NoteListDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  notes(@Param('id', ParseUUIDPipe) id: string) {
    return this.service.notes(id);
  }

  @Post(':id/notes')
  @ApiOperation({ summary: 'Add a note' })
  @ApiCreatedResponse({ type: NoteViewDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  addNote(@Param('id', ParseUUIDPipe) id: string, @Body() body: CreateNoteDto, @CurrentPrincipal() who: Principal) {
    return this.service.addNote(id, body, who);
  }

  @Patch(':id/notes/:noteId')
  @ApiOperation({ summary: 'Change a note' })
  @ApiOkResponse({ type: NoteViewDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  updateNote(@Param('id', ParseUUIDPipe) id: string, @Param('noteId', ParseUUIDPipe) noteId: string, @Body() body: UpdateNoteDto) {
    return this.service.updateNote(id, noteId, body);
  }

  @Delete(':id/notes/:noteId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a note' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorDto })
  deleteNote(@Param('id', ParseUUIDPipe) id: string, @Param('noteId', ParseUUIDPipe) noteId: string) {
    return this.service.deleteNote(id, noteId);
  }
}
