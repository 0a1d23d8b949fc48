import { useState } from 'react';
import { api, type Schemas } from '../api/client';
import { ErrorLine, useApp, useLoad } from '../common';
import { fmtLocal } from '../format';

type Page = Schemas['NoticeRecordPage'];

/** Unparsed and ignored notices with their reasons; reprocess one or all. */
export function NoticesPage() {
  const { scope } = useApp();
  const [message, setMessage] = useState<string>();
  const [actionError, setActionError] = useState<string>();
  const { data, error, reload } = useLoad(async () => {
    const [unparsed, ignored] = await Promise.all([api<Page>('GET', '/notices/unparsed?limit=200'), api<Page>('GET', '/notices/ignored?limit=200')]);
    return { unparsed: unparsed.items, ignored: ignored.items };
  }, []);
  const reprocess = (path: string) => {
    setActionError(undefined);
    api<Schemas['Reprocess'] | Schemas['ReprocessAll']>('POST', path).then(
      (r) => {
        setMessage('count' in r ? `${r.count} notices sent to the parser again` : `${r.noticeId} sent to the parser again (attempt ${r.attempt})`);
        reload();
      },
      (e: unknown) => setActionError((e as Error).message),
    );
  };
  return (
    <section aria-labelledby="notices-title">
      <h1 id="notices-title">Unparsed and ignored notices</h1>
      <ErrorLine error={error ?? actionError} />
      {message && <p role="status">{message}</p>}
      <h2>Unparsed</h2>
      {scope === 'write' && (data?.unparsed.length ?? 0) > 0 && <button onClick={() => reprocess('/notices/unparsed/reprocess')}>Reprocess all unparsed</button>}
      <Records items={data?.unparsed} canWrite={scope === 'write'} onReprocess={(id) => reprocess(`/notices/${encodeURIComponent(id)}/reprocess`)} />
      <h2>Ignored</h2>
      <Records items={data?.ignored} canWrite={scope === 'write'} onReprocess={(id) => reprocess(`/notices/${encodeURIComponent(id)}/reprocess`)} />
    </section>
  );
}

function Records({ items, canWrite, onReprocess }: { items?: Page['items']; canWrite: boolean; onReprocess: (noticeId: string) => void }) {
  if (!items) return null;
  if (items.length === 0) return <p className="empty">None.</p>;
  return (
    <ul className="cards">
      {items.map((r) => (
        <li key={r.id} className="card" data-testid="notice-record">
          <div className="card-head">
            <strong>{r.subject ?? r.noticeId}</strong> <small>{r.sender}</small> <small>{fmtLocal(r.receivedAt)}</small> <small>attempt {r.attempt}</small>
          </div>
          <ul>{(r.reasons ?? (r.reason ? [r.reason] : [])).map((x, i) => <li key={i}>{x}</li>)}</ul>
          {canWrite && <button onClick={() => onReprocess(r.noticeId)} aria-label={`Reprocess ${r.subject ?? r.noticeId}`}>Reprocess</button>}
        </li>
      ))}
    </ul>
  );
}
