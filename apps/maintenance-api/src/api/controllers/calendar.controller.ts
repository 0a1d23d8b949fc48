import { Get, Header, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity } from '@nestjs/swagger';
import { ApiResource } from '../api-controller.decorator';
import { AllowQueryToken, RequireScope } from '../auth/api-auth.guard';
import { CalendarService } from '../calendar/calendar.service';
import { ErrorDto } from '../dto/error.dto';
import { CalendarQueryDto } from '../dto/notices.dto';

/** The maintenance calendar (subscribe to it from any calendar client). */
@ApiResource('', 'calendar')
export class CalendarController {
  constructor(@Inject(CalendarService) private readonly calendar: CalendarService) {}

  @Get('calendar.ics')
  @AllowQueryToken()
  @RequireScope('read')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Content-Disposition', 'inline; filename="maintwatch.ics"')
  @Header('Cache-Control', 'private, max-age=60')
  @ApiOperation({ summary: 'Maintenances as an iCalendar feed, optionally for one provider, circuit or redundancy group' })
  @ApiSecurity('token')
  @ApiProduces('text/calendar')
  @ApiOkResponse({ schema: { type: 'string' } })
  @ApiBadRequestResponse({ type: ErrorDto })
  feed(@Query() q: CalendarQueryDto) {
    return this.calendar.feed(q);
  }
}
