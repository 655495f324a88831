import './zod-config.js';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, linkUp, me, type Me } from './api.js';
import { locale, setLocale, t, type Locale } from './i18n.js';
import { useSignal } from './state.js';
import { clearLast, loadLast, saveLast } from './cache.js';
import { Login } from './pages/login.js';
import { FarmerPage } from './pages/farmer.js';
import { TechnicianPage } from './pages/technician.js';
import { OfficerPage } from './pages/officer.js';
import { AuditPage } from './pages/audit.js';
import { AccountPage } from './pages/account.js';
import { UsersPage } from './pages/users.js';
import { OrganisationsPage } from './pages/organisations.js';

type Route = 'home' | 'audit' | 'account' | 'users' | 'orgs';
const ROUTES: Record<string, Route> = {
  '#/audit': 'audit',
  '#/account': 'account',
  '#/users': 'users',
  '#/orgs': 'orgs',
};
const routeOf = (): Route => ROUTES[location.hash] ?? 'home';

function LinkBanner() {
  const up = useSignal(linkUp);
  if (up) return null;
  return (
    <div class="banner" role="alert">
      {t('linkDown')}{' '}
      <button type="button" onClick={() => location.reload()}>
        {t('retry')}
      </button>
    </div>
  );
}

function Header({ user }: { user: Me }) {
  const loc = useSignal(locale);
  const logout = async () => {
    await api('POST', '/api/v1/auth/logout').catch(() => undefined);
    clearLast();
    me.value = null;
  };
  const staff = user.role === 'technician' || user.role === 'admin';
  return (
    <header class="top">
      <a href="#/" class="brand">
        {t('appName')}
      </a>
      <nav aria-label={t('menu')}>
        {staff && <a href="#/audit">{t('audit')}</a>}
        {staff && <a href="#/users">{t('users')}</a>}
        {user.role === 'admin' && <a href="#/orgs">{t('organisations')}</a>}
        <a href="#/account" data-testid="who">
          {user.name}
          {user.demo && (
            <span class="badge" title={t('demoTitle')}>
              {t('demoBadge')}
            </span>
          )}
        </a>
        <label class="sr" for="lang">
          {t('language')}
        </label>
        <select
          id="lang"
          value={loc === 'en' ? 'en' : 'vi'}
          onChange={(e) => setLocale((e.target as HTMLSelectElement).value as Locale)}
        >
          <option value="vi">Tiếng Việt</option>
          <option value="en">English</option>
        </select>
        <button type="button" onClick={() => void logout()}>
          {t('logout')}
        </button>
      </nav>
    </header>
  );
}

function Home({ user }: { user: Me }) {
  if (user.role === 'farmer') return <FarmerPage userId={user.id} />;
  if (user.role === 'officer') return <OfficerPage />;
  return <TechnicianPage user={user} />;
}

function Page({ user, route }: { user: Me; route: Route }) {
  const staff = user.role === 'technician' || user.role === 'admin';
  if (route === 'account') return <AccountPage />;
  if (route === 'audit' && staff) return <AuditPage user={user} />;
  if (route === 'users' && staff) return <UsersPage user={user} />;
  if (route === 'orgs' && user.role === 'admin') return <OrganisationsPage user={user} />;
  if (route !== 'home')
    return (
      <p class="error" role="alert">
        {t('forbidden')}
      </p>
    );
  return <Home user={user} />;
}

function App() {
  const user = useSignal(me);
  useSignal(locale);
  const [route, setRoute] = useState<Route>(routeOf());
  useEffect(() => {
    const on = () => setRoute(routeOf());
    addEventListener('hashchange', on);
    // offline, the last signed-in user opens on their last values (the app shell comes from the service worker)
    api<Me>('GET', '/api/v1/auth/me').then(
      (u) => {
        me.value = u;
      },
      (e: unknown) => {
        me.value = e instanceof ApiError && e.status === 0 ? (loadLast<Me>('me')?.data ?? null) : null;
      },
    );
    return () => removeEventListener('hashchange', on);
  }, []);
  if (user === undefined) return <p class="pad">{t('loading')}</p>;
  if (user === null)
    return (
      <>
        <LinkBanner />
        <Login />
      </>
    );
  return (
    <>
      <Header user={user} />
      <LinkBanner />
      <main id="main">
        <Page user={user} route={route} />
      </main>
    </>
  );
}

me.subscribe(() => {
  if (me.value) saveLast('me', me.value);
  else if (me.value === null) clearLast();
});
document.documentElement.lang = locale.value === 'en' ? 'en' : 'vi';
render(<App />, document.getElementById('app')!);
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  });
}
