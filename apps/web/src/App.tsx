import { useEffect, useState, type FormEvent } from 'react';
import { api, session } from './api/client';
import { AppContext, Link, type AppState } from './common';
import { followLive, type LiveEvent } from './live';
import { CalendarPage } from './pages/calendar';
import { CircuitsPage } from './pages/circuits';
import { MaintenancePage } from './pages/maintenance';
import { NoticesPage } from './pages/notices';
import { NowNextPage } from './pages/now-next';
import { usePath } from './router';

interface Who {
  name: string;
  scope: 'read' | 'write';
}

/** Sign-in, the navigation, the live feed and the current page. */
export function App() {
  const [who, setWho] = useState<Who>();
  const [checking, setChecking] = useState(!!session.token());
  useEffect(() => {
    if (!session.token()) return;
    api<Who>('GET', '/live/session').then(setWho, () => session.clear()).finally(() => setChecking(false));
  }, []);
  if (checking) return <p>Signing in…</p>;
  if (!who) return <SignIn onSignedIn={setWho} />;
  return (
    <Shell
      who={who}
      signOut={() => {
        session.clear();
        setWho(undefined);
      }}
    />
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (w: Who) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    api<Who>('GET', '/live/session', { token: token.trim() }).then(
      (w) => {
        session.set(token.trim());
        onSignedIn(w);
      },
      (err: unknown) => setError((err as Error).message),
    );
  };
  return (
    <main className="signin">
      <h1>Maintwatch</h1>
      <form onSubmit={submit}>
        <label>
          API token
          <input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required />
        </label>
        <button type="submit">Sign in</button>
        {error && <p role="alert" className="error">{error}</p>}
        <p className="hint">
          A read token shows; a write token also acts. Make one with <code>npm run token -- create --scope read --name NAME</code>.
        </p>
      </form>
    </main>
  );
}

function Shell({ who, signOut }: { who: Who; signOut: () => void }) {
  const path = usePath();
  const [liveTick, setLiveTick] = useState(0);
  const [connected, setConnected] = useState(false);
  const [last, setLast] = useState<LiveEvent>();
  useEffect(
    () =>
      followLive(
        (e) => {
          setLast(e);
          setLiveTick((t) => t + 1);
        },
        () => setLiveTick((t) => t + 1),
        setConnected,
      ),
    [],
  );
  const state: AppState = { ...who, liveTick, signOut };
  const m = /^\/maintenances\/([0-9a-f-]{36})$/.exec(path);
  const page = m ? <MaintenancePage id={m[1]} /> : path === '/calendar' ? <CalendarPage /> : path === '/circuits' ? <CircuitsPage /> : path === '/notices' ? <NoticesPage /> : <NowNextPage />;
  const nav: [string, string][] = [
    ['/', 'Now and next'],
    ['/calendar', 'Calendar'],
    ['/circuits', 'Circuits'],
    ['/notices', 'Unparsed'],
  ];
  return (
    <AppContext.Provider value={state}>
      <header>
        <nav aria-label="Main">
          <ul>
            {nav.map(([to, label]) => (
              <li key={to}>
                <Link to={to} className={path === to ? 'current' : ''}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span data-testid="live-state" className={connected ? 'live on' : 'live'}>
            {connected ? 'live' : 'offline'}
          </span>
          <span>
            {who.name} ({who.scope})
          </span>
          <button onClick={signOut}>Sign out</button>
        </div>
      </header>
      {last && (
        <p role="status" className="toast" data-testid="live-last">
          {last.type}: {last.providerType} {last.maintenanceId}
        </p>
      )}
      <main>{page}</main>
    </AppContext.Provider>
  );
}
