import { Inject, Injectable } from '@nestjs/common';
import { Store } from '@maintwatch/persistence';
import { API_OPTIONS, type ApiOptions } from '../api.options';
import type { CalendarQueryDto } from '../dto/notices.dto';
import { renderCalendar } from './ics-calendar';

/** The maintenance calendar feed, optionally for one provider, circuit or redundancy group. */
@Injectable()
export class CalendarService {
  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  /** The feed as iCalendar text: maintenances not ended before the lookback, by start. */
  async feed(q: CalendarQueryDto): Promise<string> {
    const [items, providers] = await Promise.all([
      this.store.repos.api.maintenances.forCalendar({
        providerType: q.provider,
        circuit: q.circuit,
        redundancyGroup: q.redundancyGroup,
        since: this.options.now() - this.options.calendarLookbackSeconds,
        limit: this.options.calendarLimit,
      }),
      this.store.repos.providers.list(),
    ]);
    const names = new Map(providers.map((p) => [p.type, p.name]));
    const scope = [q.provider && `provider ${q.provider}`, q.circuit && `circuit ${q.circuit}`, q.redundancyGroup && `group ${q.redundancyGroup}`].filter(Boolean).join(', ');
    return renderCalendar(
      items.map(({ maintenance, circuits, overlapping }) => {
        const { lastNoticeId: _last, ...row } = maintenance;
        return { maintenance: { ...row, circuits, overlapping }, providerName: names.get(maintenance.providerType) ?? maintenance.providerType };
      }),
      scope ? `Maintwatch maintenances (${scope})` : 'Maintwatch maintenances',
    );
  }
}
