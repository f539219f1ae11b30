/**
 * The console: a key prompt when the server has API keys, then the screens the key's scopes allow
 * (ADR 0003), one per tab, each at /admin/<screen>.
 */
import { useEffect, useState } from 'preact/hooks';
import { Experiments } from './experiments.tsx';
import { Live } from './live.tsx';
import { Merchandising } from './merchandising.tsx';
import { Models } from './models.tsx';
import { can, connect, type Connection, describeError, forgetKey, rememberedKey, type Scope } from './session.ts';
import { Storefront } from './storefront.tsx';
import { Tabs } from './tabs.tsx';

interface Screen { id: string; label: string; needs: Scope | null }

// Live reads /metrics, which is public; the others need the scope their API routes need
const SCREENS: Screen[] = [
  { id: 'storefront', label: 'Storefront', needs: 'read' },
  { id: 'merchandising', label: 'Merchandising', needs: 'admin' },
  { id: 'models', label: 'Models', needs: 'admin' },
  { id: 'experiments', label: 'Experiments', needs: 'admin' },
  { id: 'live', label: 'Live', needs: null },
];

const screenFromPath = () => location.pathname.replace(/^\/admin\/?/, '').split('/')[0] || 'storefront';

export function App() {
  const [conn, setConn] = useState<Connection | null | undefined>(undefined);
  const [error, setError] = useState('');
  const [screen, setScreen] = useState(screenFromPath());
  const [member, setMember] = useState<string>();

  const login = async (key: string | undefined) => {
    try {
      setError('');
      setConn((await connect(key)) ?? null);
    } catch (err) {
      setConn(null);
      setError(describeError(err));
    }
  };
  useEffect(() => { void login(rememberedKey()); }, []);
  useEffect(() => {
    const onPop = () => setScreen(screenFromPath());
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const screens = conn ? SCREENS.filter((s) => s.needs === null || can(conn.session, s.needs)) : [];
  const current = screens.find((s) => s.id === screen) ?? screens[0];
  const select = (id: string) => {
    setScreen(id);
    history.pushState(null, '', `/admin/${id}`);
  };

  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <h1>Vitrine <span class="sub">console</span></h1>
        {conn && !conn.session.open && (
          <p class="who">key: {conn.session.scopes.join(', ')}{' '}
            <button type="button" onClick={() => { forgetKey(); setConn(null); }}>Sign out</button></p>
        )}
        {conn?.session.open && <p class="who">open server (no API keys, loopback only)</p>}
      </header>
      {conn && current && <Tabs tabs={screens} selected={current.id} onSelect={select} />}
      <main id="main" tabIndex={-1}>
        {conn === undefined && <p>Connecting…</p>}
        {conn === null && <KeyPrompt error={error} onKey={login} />}
        {conn && current && (
          <section role="tabpanel" id={`panel-${current.id}`} aria-labelledby={`tab-${current.id}`}>
            {current.id === 'storefront' && <Storefront conn={conn} userId={member} onPick={setMember} />}
            {current.id === 'merchandising' && <Merchandising conn={conn} />}
            {current.id === 'models' && <Models conn={conn} />}
            {current.id === 'experiments' && <Experiments conn={conn} />}
            {current.id === 'live' && <Live conn={conn} />}
          </section>
        )}
      </main>
    </>
  );
}

function KeyPrompt({ error, onKey }: { error: string; onKey: (key: string) => void }) {
  const [key, setKey] = useState('');
  return (
    <form class="card key-form" onSubmit={(e) => { e.preventDefault(); onKey(key.trim()); }}>
      <h2>API key</h2>
      <p>This server has API keys. The console shows what your key's scopes allow.</p>
      <label>API key <input type="password" autocomplete="off" value={key} onInput={(e) => setKey(e.currentTarget.value)} required /></label>
      <button type="submit">Connect</button>
      {error && <p role="alert" class="error">{error}</p>}
    </form>
  );
}
