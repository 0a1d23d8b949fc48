import { Get, Inject, Sse, type MessageEvent } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { interval, map, merge, takeUntil, type Observable } from 'rxjs';
import { ApiResource } from '../api/api-controller.decorator';
import { CurrentPrincipal, type Principal } from '../api/auth/api-auth.guard';
import { LiveEventsService } from './live-events.service';

/** A comment line every so often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/**
 * The web page's live feed and who it is signed in as. The stream is read with fetch (not
 * EventSource), so the token travels in the Authorization header like on every other route,
 * never in the URL.
 */
// Not in the OpenAPI document: a stream that never ends is no REST resource, and the page's
// types do not need it.
@ApiExcludeController()
@ApiResource('live', 'live')
export class LiveController {
  constructor(@Inject(LiveEventsService) private readonly live: LiveEventsService) {}

  @Get('session')
  session(@CurrentPrincipal() who: Principal): { name: string; scope: string } {
    return { name: who.name, scope: who.scope };
  }

  @Sse('events')
  events(): Observable<MessageEvent> {
    return merge(
      this.live.events().pipe(map((e): MessageEvent => ({ id: e.eventId, type: 'maintenance', data: e }))),
      interval(HEARTBEAT_MS).pipe(map((): MessageEvent => ({ type: 'heartbeat', data: {} }))),
    ).pipe(takeUntil(this.live.closing()));
  }
}
