import { api, type Schemas } from '../api/client';
import { ErrorLine, MaintenanceCard, useLoad } from '../common';
import { localZone } from '../format';

type List = Schemas['MaintenanceList'];

/** In progress, starting within 24 hours, starting within 7 days. */
export function NowNextPage() {
  const { data, error } = useLoad(async () => {
    const [now, day, week] = await Promise.all([
      api<List>('GET', '/maintenances/in-progress?limit=200'),
      api<List>('GET', `/maintenances/starting-soon?within=${24 * 3600}&limit=200`),
      api<List>('GET', `/maintenances/starting-soon?within=${7 * 24 * 3600}&limit=200`),
    ]);
    const soon = new Set(day.items.map((m) => m.id));
    return { now: now.items, day: day.items, week: week.items.filter((m) => !soon.has(m.id)) };
  }, []);
  return (
    <section aria-labelledby="now-title">
      <h1 id="now-title">Now and next</h1>
      <p className="hint">Times in your zone ({localZone}) and in UTC.</p>
      <ErrorLine error={error} />
      {data && (
        <>
          <Group title="In progress" id="in-progress" items={data.now} />
          <Group title="Starting within 24 hours" id="within-24h" items={data.day} />
          <Group title="Starting within 7 days" id="within-7d" items={data.week} />
        </>
      )}
    </section>
  );
}

function Group({ title, id, items }: { title: string; id: string; items: List['items'] }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {title} <span className="count">({items.length})</span>
      </h2>
      {items.length === 0 ? <p className="empty">None.</p> : <ul className="cards">{items.map((m) => <MaintenanceCard key={m.id} m={m} />)}</ul>}
    </section>
  );
}
