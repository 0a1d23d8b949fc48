import type { EventInput } from '@fullcalendar/core';
import dayGridPlugin from '@fullcalendar/daygrid';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import { useState } from 'react';
import { api, qs, session, type Schemas } from '../api/client';
import { ErrorLine, useLoad } from '../common';
import { IMPACTS, IMPACT_COLOURS, worstImpact } from '../format';
import { navigate } from '../router';

/** Month and week views, coloured by impact, filtered by provider, circuit or redundancy group. */
export function CalendarPage() {
  const [range, setRange] = useState<{ from: number; to: number }>();
  const [filter, setFilter] = useState({ provider: '', circuit: '', redundancyGroup: '' });
  const options = useLoad(async () => {
    const [providers, groups] = await Promise.all([api<Schemas['Provider'][]>('GET', '/providers'), api<Schemas['RedundancyGroup'][]>('GET', '/redundancy-groups')]);
    return { providers, groups };
  }, []);
  const events = useLoad(async (): Promise<EventInput[]> => {
    if (!range) return [];
    const page = await api<Schemas['MaintenancePage']>('GET', `/maintenances${qs({ from: range.from, to: range.to, limit: 500, ...filter })}`);
    return page.items.map((m) => {
      const impact = worstImpact(m);
      return {
        id: m.id,
        // A link: the event is reachable with the keyboard, and opens in a new tab on middle-click.
        url: `/maintenances/${m.id}`,
        title: `${m.providerType} ${m.maintenanceId} (${impact}${m.status === 'CANCELLED' ? ', cancelled' : ''})`,
        start: m.start * 1000,
        end: m.end * 1000,
        backgroundColor: IMPACT_COLOURS[impact],
        borderColor: IMPACT_COLOURS[impact],
        classNames: m.status === 'CANCELLED' ? ['cancelled'] : [],
      };
    });
  }, [range?.from, range?.to, filter.provider, filter.circuit, filter.redundancyGroup]);
  // The one place a token goes into a URL: calendar clients cannot send headers.
  const feed = `${location.origin}/api/v1/calendar.ics${qs({ token: session.token() ?? '', ...filter })}`;
  return (
    <section aria-labelledby="cal-title">
      <h1 id="cal-title">Calendar</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Provider
          <select value={filter.provider} onChange={(e) => setFilter({ ...filter, provider: e.target.value })}>
            <option value="">all</option>
            {options.data?.providers.map((p) => (
              <option key={p.type} value={p.type}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Circuit
          <input value={filter.circuit} onChange={(e) => setFilter({ ...filter, circuit: e.target.value })} placeholder="id or name" />
        </label>
        <label>
          Redundancy group
          <select value={filter.redundancyGroup} onChange={(e) => setFilter({ ...filter, redundancyGroup: e.target.value })}>
            <option value="">all</option>
            {options.data?.groups.map((g) => (
              <option key={g.name} value={g.name}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
      </form>
      <p className="legend">
        {IMPACTS.map((i) => (
          <span key={i} className="badge" style={{ background: IMPACT_COLOURS[i] }}>
            {i}
          </span>
        ))}
      </p>
      <ErrorLine error={events.error ?? options.error} />
      <FullCalendar
        plugins={[dayGridPlugin, timeGridPlugin]}
        initialView="dayGridMonth"
        headerToolbar={{ left: 'prev,next today', center: 'title', right: 'dayGridMonth,timeGridWeek' }}
        events={events.data ?? []}
        height="auto"
        datesSet={(a) => setRange({ from: Math.floor(a.start.getTime() / 1000), to: Math.floor(a.end.getTime() / 1000) })}
        eventClick={(a) => {
          a.jsEvent.preventDefault();
          navigate(`/maintenances/${a.event.id}`);
        }}
      />
      <p>
        ICS feed (subscribe from a calendar client; the link holds your token):{' '}
        <a href={feed} data-testid="ics-link">
          calendar.ics
        </a>
      </p>
    </section>
  );
}
