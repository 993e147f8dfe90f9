import { lazy, Suspense } from 'react';
import { ApiError, api } from '../api';
import { useI18n } from '../i18n';
import { ErrorBanner } from '../notices';
import { usePoll } from '../usePoll';
import { Link } from '../router';
import { fmtDate, fmtDuration, fmtNumber, fmtPercent } from '../format';
import type { DeadLetter, Health, SessionView } from '../types';
import type { Source } from '../catalog/model';

// the forms are a lazy chunk: most visits of the workbench never open them
const Catalog = lazy(() => import('../catalog/Catalog').then((m) => ({ default: m.Catalog })));

/**
 * Task groups: health from /api/stats/health, sessions from the actuator, the sources that produced
 * dead letters, and, where the service has the catalog API (GET /api/sources answers), its databases,
 * sources and tasks with their add/change forms and change history. A service without it answers
 * 404 and the page shows what it can without it.
 */
export function TasksPage() {
  const { t, lang } = useI18n();
  const health = usePoll(() => api.get<Health[]>('/api/stats/health'), []);
  const sessions = usePoll(() => api.get<{ sessions: SessionView[] }>('/actuator/recon'), []);
  const dl = usePoll(() => api.get<{ items: DeadLetter[]; total: number }>('/api/dead-letters?size=500'), []);
  const catalog = usePoll(() => api.get<Source[]>('/api/sources'), []);
  const noCatalog = catalog.error instanceof ApiError && catalog.error.status === 404;
  const tasks = [...new Set([...(health.data ?? []).map((h) => h.task), ...(sessions.data?.sessions ?? []).map((s) => s.task)])];
  const sources = new Map<string, { count: number; last: string }>();
  (dl.data?.items ?? []).forEach((d) => {
    const s = sources.get(d.source);
    sources.set(d.source, { count: (s?.count ?? 0) + 1, last: !s || d.receivedAt > s.last ? d.receivedAt : s.last });
  });

  return (
    <section aria-labelledby="tasks-title">
      <h1 id="tasks-title">{t('tasks.title')}</h1>
      <ErrorBanner error={health.error} />
      {tasks.map((task) => {
        const h = health.data?.find((x) => x.task === task);
        const ss = (sessions.data?.sessions ?? []).filter((s) => s.task === task);
        const facts: Record<string, number> = {};
        ss.forEach((s) => Object.entries(s.liveFactsByType ?? {}).forEach(([k, v]) => (facts[k] = (facts[k] ?? 0) + v)));
        const lastEvent = ss.map((s) => s.lastEventTime).filter(Boolean).sort().pop() ?? null;
        return (
          <article key={task} className="card" aria-labelledby={'tg-' + task}>
            <h2 id={'tg-' + task}>{t('overview.taskGroup', { task })}</h2>
            <dl className="facts two">
              <dt>{t('tasks.partitions')}</dt><dd>{sessions.data ? ss.length : '—'}</dd>
              <dt>{t('tasks.factTypes')}</dt><dd>{Object.entries(facts).map(([k, v]) => `${k} (${fmtNumber(v, lang)})`).join(', ') || '—'}</dd>
              <dt>{t('tasks.lastEvent')}</dt><dd>{fmtDate(lastEvent, lang)}</dd>
              <dt>{t('ops.lag')}</dt><dd>{lastEvent ? fmtDuration((Date.now() - new Date(lastEvent).getTime()) / 1000) : '—'}</dd>
              <dt>{t('tasks.checked24h')}</dt><dd>{fmtNumber(h?.last24h?.checked, lang)}</dd>
              <dt>{t('overview.mismatchRate')}</dt><dd>{fmtPercent(h?.mismatchRate, lang)}</dd>
            </dl>
            <p><Link href={'/mismatches?task=' + encodeURIComponent(task) + '&status=OPEN'}>{t('tasks.openQueue')}</Link></p>
          </article>
        );
      })}
      {sessions.error && <p className="muted">{t('overview.sessionsHidden', { reason: sessions.error.message })}</p>}
      <h2>{t('tasks.sourcesWithDeadLetters')}</h2>
      <table className="table">
        <caption className="sr-only">{t('tasks.sourcesWithDeadLetters')}</caption>
        <thead><tr><th scope="col">{t('field.source')}</th><th scope="col">{t('nav.deadLetters')}</th><th scope="col">{t('tasks.lastEvent')}</th></tr></thead>
        <tbody>
          {[...sources.entries()].map(([name, s]) => (
            <tr key={name}><td><Link href={'/dead-letters?source=' + encodeURIComponent(name)}>{name}</Link></td><td>{s.count}</td><td>{fmtDate(s.last, lang)}</td></tr>
          ))}
          {sources.size === 0 && <tr><td colSpan={3}>—</td></tr>}
        </tbody>
      </table>
      {catalog.data && (
        <Suspense fallback={<p className="muted">{t('common.loading')}</p>}>
          <Catalog sources={catalog.data} reloadSources={() => void catalog.reload()} />
        </Suspense>
      )}
      {catalog.error && !noCatalog && <ErrorBanner error={catalog.error} />}
      {noCatalog && <p className="muted small">{t('tasks.catalogPending')}</p>}
    </section>
  );
}
