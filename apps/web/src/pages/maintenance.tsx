import { useState, type FormEvent } from 'react';
import { api, download, type MaintenanceDetail, type Schemas } from '../api/client';
import { ErrorLine, ImpactBadge, Link, Window, useApp, useLoad } from '../common';
import { fmtLocal } from '../format';

/** One maintenance: windows history, circuits, notices, notes, acknowledgement. */
export function MaintenancePage({ id }: { id: string }) {
  const { scope } = useApp();
  const canWrite = scope === 'write';
  const { data: m, error, reload } = useLoad(() => api<MaintenanceDetail>('GET', `/maintenances/${id}`), [id]);
  const [actionError, setActionError] = useState<string>();
  const [note, setNote] = useState('');
  const [parsed, setParsed] = useState<Record<string, Schemas['NoticeDetail']>>({});
  const act = async (f: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await f();
      reload();
    } catch (e) {
      setActionError((e as Error).message);
    }
  };
  const addNote = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      await api('POST', `/maintenances/${id}/notes`, { body: { text: note } });
      setNote('');
    });
  };
  if (!m) return <ErrorLine error={error ?? undefined} />;
  return (
    <article aria-labelledby="m-title">
      <h1 id="m-title">
        {m.providerType} {m.maintenanceId}
      </h1>
      <p>
        <span className={`status status-${m.status}`}>{m.status}</span> · phase {m.phase} · version {m.version}
      </p>
      <p>{m.summary}</p>
      <Window start={m.start} end={m.end} />
      <ErrorLine error={error ?? actionError} />
      <section aria-labelledby="ack-title">
        <h2 id="ack-title">Acknowledgement</h2>
        <p data-testid="ack-state">{m.acknowledged ? `Acknowledged by ${m.acknowledged.by} at ${fmtLocal(m.acknowledged.at)}` : 'Not acknowledged'}</p>
        {canWrite &&
          (m.acknowledged ? (
            <button onClick={() => void act(() => api('DELETE', `/maintenances/${id}/ack`))}>Remove acknowledgement</button>
          ) : (
            <button onClick={() => void act(() => api('POST', `/maintenances/${id}/ack`, { body: {} }))}>Acknowledge</button>
          ))}
      </section>
      {m.overlaps.length > 0 && (
        <section aria-labelledby="ov-title">
          <h2 id="ov-title">Overlaps</h2>
          <ul>
            {m.overlaps.map((o) => (
              <li key={o.with.id} className="warn">
                ⚠ <Link to={`/maintenances/${o.with.id}`}>{`${o.with.providerType} ${o.with.maintenanceId}`}</Link>: shared {o.sharedCircuits.join(', ') || 'none'}
                {o.redundancyGroups.length > 0 && `; redundancy lost in ${o.redundancyGroups.join(', ')}`}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="c-title">
        <h2 id="c-title">Circuits and impacts</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Circuit</th>
              <th scope="col">Impact</th>
              <th scope="col">Redundancy group</th>
              <th scope="col">Device</th>
            </tr>
          </thead>
          <tbody>
            {m.circuits.map((c) => (
              <tr key={c.circuitRef}>
                <td>{c.circuit?.providerCircuitId ?? c.circuitRef}</td>
                <td>
                  <ImpactBadge impact={c.impact} />
                </td>
                <td>{c.circuit?.redundancyGroup ?? '—'}</td>
                <td>{c.circuit?.deviceBinding ? `${c.circuit.deviceBinding.device} ${c.circuit.deviceBinding.interface ?? ''}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="w-title">
        <h2 id="w-title">Windows history</h2>
        <ol>
          {m.windows.map((w, i) => (
            <li key={i}>
              {w.label === 'backup' && <strong>Backup timeslot: </strong>}
              <Window start={w.start} end={w.end} /> <small>sequence {w.sequence}, recorded {fmtLocal(w.recordedAt)}</small>
            </li>
          ))}
        </ol>
        {m.replacesId && <p>Replaces <Link to={`/maintenances/${m.replacesId}`}>{m.replaces ?? m.replacesId}</Link></p>}
        {m.replacedById && <p>Replaced by <Link to={`/maintenances/${m.replacedById}`}>{m.replacedBy ?? m.replacedById}</Link></p>}
      </section>
      <section aria-labelledby="n-title">
        <h2 id="n-title">Notices</h2>
        <ul>
          {m.notices.map((n) => (
            <li key={`${n.noticeId}#${n.attempt}#${n.index}`}>
              {fmtLocal(n.receivedAt)} · {n.subject ?? n.noticeId} · {n.outcome} ({n.parsers.join(', ')}){' '}
              <button onClick={() => void act(() => download(`/notices/${encodeURIComponent(n.noticeId)}/raw`, 'notice.eml'))}>Download raw</button>{' '}
              <button
                aria-expanded={!!parsed[n.noticeId]}
                onClick={() => void act(async () => setParsed({ ...parsed, [n.noticeId]: await api<Schemas['NoticeDetail']>('GET', `/notices/${encodeURIComponent(n.noticeId)}`) }))}
              >
                Parsed JSON
              </button>
              {parsed[n.noticeId] && <pre className="json">{JSON.stringify(parsed[n.noticeId], null, 2)}</pre>}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="notes-title">
        <h2 id="notes-title">Notes</h2>
        <ul data-testid="notes">
          {m.notes.map((n) => (
            <li key={n.id} className={n.level === 'warning' ? 'warn' : ''}>
              <strong>{n.author}</strong> ({fmtLocal(n.createdAt)}): {n.text}
            </li>
          ))}
        </ul>
        {canWrite && (
          <form onSubmit={addNote}>
            <label>
              New note
              <textarea value={note} onChange={(e) => setNote(e.target.value)} required />
            </label>
            <button type="submit">Add note</button>
          </form>
        )}
      </section>
      <section aria-labelledby="drain-title">
        <h2 id="drain-title">Device drain</h2>
        {m.drains.length > 0 ? (
          <div className="scroll">
          <table data-testid="drains">
            <caption className="sr-only">Drain of each bound circuit, as the junos-gateway last announced it</caption>
            <thead>
              <tr>
                <th scope="col">Circuit</th>
                <th scope="col">Device</th>
                <th scope="col">Method</th>
                <th scope="col">State</th>
                <th scope="col">Last step</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {m.drains.map((d) => (
                <tr key={`${d.circuitId} ${d.device}`}>
                  <td>{d.circuitId}</td>
                  <td>{d.device}</td>
                  <td>
                    {d.method}
                    {d.dryRun && ' (dry run)'}
                  </td>
                  <td>
                    <span className={`drain drain-${d.state}`}>{d.state}</span>
                  </td>
                  <td>
                    {d.step} at <time dateTime={new Date(d.at * 1000).toISOString()}>{fmtLocal(d.at)}</time>
                  </td>
                  <td>
                    {d.detail}
                    {d.diff && (
                      <details>
                        <summary>Configuration diff</summary>
                        <pre className="json diff">{d.diff}</pre>
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        ) : (
          <p>{m.circuits.some((c) => c.circuit?.deviceBinding) ? 'Circuits bound to devices: the junos-gateway has announced no drain step for this maintenance yet.' : 'No circuit of this maintenance is bound to a device.'}</p>
        )}
        {!m.authentication.actionable && m.circuits.some((c) => c.circuit?.deviceBinding) && <p className="warn">Not acted on: {m.authentication.reason}</p>}
      </section>
    </article>
  );
}
