import { createContext, useCallback, useContext, useEffect, useState, type MouseEvent, type ReactNode } from 'react';
import type { Impact, MaintenanceSummary } from './api/client';
import { IMPACT_COLOURS, fmtLocal, fmtUtc, lostRedundancy, worstImpact } from './format';
import { navigate } from './router';

/** Who is signed in, and a counter that moves whenever the live feed says something changed. */
export interface AppState {
  name: string;
  scope: 'read' | 'write';
  liveTick: number;
  signOut: () => void;
}
export const AppContext = createContext<AppState>({ name: '', scope: 'read', liveTick: 0, signOut: () => undefined });
export const useApp = () => useContext(AppContext);

/** Loads with `load` now and again whenever a dependency or the live tick changes. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data?: T; error?: string; reload: () => void } {
  const { liveTick } = useApp();
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data }),
      (e: unknown) => live && setState((s) => ({ ...s, error: (e as Error).message })),
    );
    return () => {
      live = false;
    };
  }, [...deps, liveTick, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { ...state, reload };
}

/** An in-app link (keyboard and middle-click work as with any link). */
export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className={className}>
      {children}
    </a>
  );
}

export function ImpactBadge({ impact }: { impact: Impact }) {
  return (
    <span className="badge" style={{ background: IMPACT_COLOURS[impact] }}>
      {impact}
    </span>
  );
}

/** A window in the operator's zone and in UTC. */
export function Window({ start, end }: { start: number; end: number }) {
  return (
    <span className="window">
      <span>
        {fmtLocal(start)} – {fmtLocal(end)}
      </span>
      <small>
        {fmtUtc(start)} – {fmtUtc(end)}
      </small>
    </span>
  );
}

/** A maintenance as one card of a list. */
export function MaintenanceCard({ m }: { m: MaintenanceSummary }) {
  const lost = lostRedundancy(m);
  return (
    <li className="card" data-testid="maintenance-card">
      <div className="card-head">
        <Link to={`/maintenances/${m.id}`}>
          {m.providerType} {m.maintenanceId}
        </Link>
        <ImpactBadge impact={worstImpact(m)} />
        <span className={`status status-${m.status}`}>{m.status}</span>
        <span className="ack">{m.acknowledged ? `acknowledged by ${m.acknowledged.by}` : 'not acknowledged'}</span>
      </div>
      <Window start={m.start} end={m.end} />
      <div className="circuits">{m.circuits.map((c) => `${c.providerCircuitId} (${c.impact})`).join(', ') || 'no circuits named'}</div>
      {m.overlapping && <p className="warn" role="note">⚠ overlaps another maintenance on shared or redundant circuits</p>}
      {lost.length > 0 && <p className="warn" role="note">⚠ redundancy lost in group {lost.join(', ')}</p>}
    </li>
  );
}

export function ErrorLine({ error }: { error?: string }) {
  return error ? (
    <p className="error" role="alert">
      {error}
    </p>
  ) : null;
}
