import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Link, match, navigate, useLocation } from './router';
import { useI18n } from './i18n';
import type { MessageKey } from './i18n/en';
import { useSession } from './session';
import { NoticeBanner, useNotices } from './notices';
import { request } from './api';
import { LoginPage } from './pages/Login';
import { OverviewPage } from './pages/Overview';
import { MismatchesPage } from './pages/Mismatches';
import { MismatchDetailPage } from './pages/MismatchDetail';
import { ReleasesPage } from './pages/Releases';
import { ReleaseDetailPage } from './pages/ReleaseDetail';
import { TasksPage } from './pages/Tasks';
import { DeadLettersPage } from './pages/DeadLetters';
import { OperationsPage } from './pages/Operations';

// The authoring pages are their own chunks: most users (handlers, viewers) never open them.
const RulesPage = lazy(() => import('./pages/Rules').then((m) => ({ default: m.RulesPage })));
const ComparisonPage = lazy(() => import('./pages/Comparison').then((m) => ({ default: m.ComparisonPage })));

const NAV: { href: string; id: string; label: MessageKey }[] = [
  { href: '/', id: 'overview', label: 'nav.overview' },
  { href: '/mismatches', id: 'mismatches', label: 'nav.mismatches' },
  { href: '/rules', id: 'rules', label: 'nav.rules' },
  { href: '/releases', id: 'releases', label: 'nav.releases' },
  { href: '/tasks', id: 'tasks', label: 'nav.tasks' },
  { href: '/dead-letters', id: 'dead-letters', label: 'nav.deadLetters' },
  { href: '/operations', id: 'operations', label: 'nav.operations' },
];

function route(path: string): ReactNode {
  if (path === '/' || path === '') return <OverviewPage />;
  if (match('/mismatches', path)) return <MismatchesPage />;
  let m = match('/mismatches/:id', path);
  if (m) return <MismatchDetailPage id={m.id} />;
  if (match('/rules', path)) return <RulesPage />;
  if (match('/rules/comparison', path)) return <ComparisonPage />;
  if (match('/releases', path)) return <ReleasesPage />;
  m = match('/releases/:version', path);
  if (m) return <ReleaseDetailPage version={m.version} />;
  if (match('/tasks', path)) return <TasksPage />;
  if (match('/dead-letters', path)) return <DeadLettersPage />;
  if (match('/operations', path)) return <OperationsPage />;
  return null;
}

export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  const other = lang === 'en' ? 'zh-CN' : 'en';
  return (
    <button type="button" className="lang" data-testid="lang-switch" lang={other}
      title={t('shell.switchLanguage')} onClick={() => setLang(other)}>
      {other === 'en' ? 'English' : '中文'}
    </button>
  );
}

export function App() {
  const { path, params } = useLocation();
  const { session, checked, error, signOut } = useSession();
  const { t } = useI18n();
  const { clear, act } = useNotices();

  useEffect(() => clear(), [path, clear]);
  useEffect(() => {
    // For browser tests: a forced write goes through the same client and banner as a button would.
    (window as unknown as { recon: unknown }).recon = {
      write: (method: string, url: string, body?: unknown) => act(() => request(method, url, body)),
    };
  }, [act]);

  useEffect(() => {
    if (!checked) return;
    if (!session && path !== '/login') {
      const here = window.location.pathname + window.location.search;
      navigate('/login' + (here === '/' ? '' : '?next=' + encodeURIComponent(here)), { replace: true });
    } else if (session && path === '/login') {
      const next = params.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    }
  }, [checked, session, path, params]);

  if (!checked) return <main className="center" aria-busy="true"><p>{t('common.loading')}</p></main>;
  if (!session || path === '/login') return <LoginPage startupError={error} />;

  const page = route(path);
  const current = NAV.find((n) => (n.href === '/' ? path === '/' : path.startsWith(n.href)));
  return (
    <div className="shell">
      <a className="skip" href="#main">{t('shell.skip')}</a>
      <header className="top">
        <span className="brand">{t('shell.title')}</span>
        <nav aria-label={t('shell.mainNav')}>
          <ul>
            {NAV.map((n) => (
              <li key={n.id}>
                <Link href={n.href} data-testid={'nav-' + n.id} aria-current={current === n ? 'page' : undefined}>
                  {t(n.label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span data-testid="current-user">{session.user} · {session.roles.map((r) => r.replace(/^ROLE_/, '')).join(', ')}</span>
          <LangSwitch />
          <button type="button" className="secondary" data-testid="sign-out" onClick={() => void signOut()}>{t('shell.signOut')}</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <NoticeBanner />
        <Suspense fallback={<p>{t('common.loading')}</p>}>
        {page ?? (
          <section>
            <h1>{t('shell.notFound')}</h1>
            <p>{t('shell.notFoundText', { path })}</p>
          </section>
        )}
        </Suspense>
      </main>
    </div>
  );
}
