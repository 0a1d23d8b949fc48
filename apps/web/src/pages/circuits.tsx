import { useState, type FormEvent } from 'react';
import { api, qs, type Schemas } from '../api/client';
import { ErrorLine, useApp, useLoad } from '../common';

/** Circuits and redundancy groups, with the CSV import. */
export function CircuitsPage() {
  const { scope } = useApp();
  const [search, setSearch] = useState('');
  const [report, setReport] = useState<Schemas['ImportReport']>();
  const [importError, setImportError] = useState<string>();
  const [file, setFile] = useState<File>();
  const circuits = useLoad(() => api<Schemas['CircuitPage']>('GET', `/circuits${qs({ limit: 500 })}`), []);
  const groups = useLoad(() => api<Schemas['RedundancyGroup'][]>('GET', '/redundancy-groups'), []);
  const upload = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setImportError(undefined);
    void file
      .text()
      .then((csv) => api<Schemas['ImportReport']>('POST', '/circuits/import', { csv }))
      .then((r) => {
        setReport(r);
        circuits.reload();
        groups.reload();
      })
      .catch((err: unknown) => setImportError((err as Error).message));
  };
  const shown = (circuits.data?.items ?? []).filter((c) => !search || `${c.providerType} ${c.providerCircuitId} ${c.aliases.join(' ')} ${c.redundancyGroup ?? ''}`.toLowerCase().includes(search.toLowerCase()));
  return (
    <section aria-labelledby="circ-title">
      <h1 id="circ-title">Circuits</h1>
      <ErrorLine error={circuits.error ?? groups.error} />
      <section aria-labelledby="rg-title">
        <h2 id="rg-title">Redundancy groups</h2>
        <ul>
          {groups.data?.map((g) => (
            <li key={g.name}>
              {g.name}: {g.circuits} circuits
            </li>
          ))}
        </ul>
      </section>
      {scope === 'write' && (
        <form onSubmit={upload} aria-labelledby="imp-title">
          <h2 id="imp-title">Import CSV</h2>
          <label>
            CSV file (provider, circuit_id, redundancy_group, ...)
            <input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0])} />
          </label>
          <button type="submit" disabled={!file}>
            Import
          </button>
          <ErrorLine error={importError} />
          {report && (
            <p role="status">
              {report.created} created, {report.updated} updated, {report.failed} failed
              {report.rows
                .filter((r) => r.outcome === 'failed')
                .map((r) => ` · line ${r.line}: ${(r.errors ?? []).map((x) => `${x.field} ${x.message}`).join('; ')}`)}
            </p>
          )}
        </form>
      )}
      <h2>All circuits</h2>
      <label>
        Search
        <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
      </label>
      <div className="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Circuit</th>
              <th scope="col">Aliases</th>
              <th scope="col">Redundancy group</th>
              <th scope="col">Verified</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <tr key={c.id}>
                <td>{c.providerType}</td>
                <td>{c.providerCircuitId}</td>
                <td>{c.aliases.join(', ')}</td>
                <td>{c.redundancyGroup ?? '—'}</td>
                <td>{c.verified ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
