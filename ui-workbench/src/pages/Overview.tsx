import { useState } from 'react';
import { api, query } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { usePoll } from '../usePoll';
import { ErrorBanner } from '../notices';
import { Link } from '../router';
import { TrendChart } from '../components/TrendChart';
import { fmtDate, fmtDuration, fmtNumber, fmtPercent } from '../format';
import type { Bucket, Health, MismatchPage, Release, SessionView, StatsAnswer } from '../types';

const RANGES = { '5m': 3 * 3600e3, '1h': 24 * 3600e3, '1d': 30 * 86400e3 } as const;
type Granularity = keyof typeof RANGES;

interface Snapshot {
  health: Health[];
  stats: StatsAnswer;
  recent: StatsAnswer;
  open: MismatchPage;
  sessions: SessionView[] | null;
  sessionsError: string | null;
  deadLetters: number;
  outbox: number | null;
  active: string | null;
}

async function load(granularity: Granularity): Promise<Snapshot> {
  const now = Date.now();
  const from = new Date(now - RANGES[granularity]).toISOString();
  const [health, stats, recent, open, dl, releases] = await Promise.all([
    api.get<Health[]>('/api/stats/health'),
    api.get<StatsAnswer>('/api/stats' + query({ granularity, from })),
    api.get<StatsAnswer>('/api/stats' + query({ granularity: '5m', from: new Date(now - 15 * 60e3).toISOString() })),
    api.get<MismatchPage>('/api/mismatches' + query({ status: 'OPEN', size: 500 })),
    api.get<{ total: number }>('/api/dead-letters?size=1'),
    api.get<Release[]>('/api/releases'),
  ]);
  let sessions: SessionView[] | null = null;
  let sessionsError: string | null = null;
  try {
    sessions = (await api.get<{ sessions: SessionView[] }>('/actuator/recon')).sessions;
  } catch (e) {
    sessionsError = (e as Error).message;
  }
  let outbox: number | null = null;
  try {
    outbox = (await api.get<{ total: number }>('/api/actions?status=PENDING&size=1')).total;
  } catch {
    outbox = null;
  }
  return { health, stats, recent, open, sessions, sessionsError, deadLetters: dl.total, outbox,
    active: releases.find((r) => r.status === 'ACTIVE')?.version ?? null };
}

export function OverviewPage() {
  const { t, lang } = useI18n();
  const { session } = useSession();
  const [granularity, setGranularity] = useState<Granularity>('1h');
  const { data, error } = usePoll(() => load(granularity), [granularity]);
  const tasks = data ? [...new Set([...data.health.map((h) => h.task), ...(data.sessions ?? []).map((s) => s.task)])] : [];
  const shown = session?.tasks?.length ? tasks.filter((x) => session.tasks.includes(x) || session.tasks.includes('*')) : tasks;

  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">{t('overview.title')}</h1>
      <ErrorBanner error={error} />
      {!data && !error && <p>{t('common.loading')}</p>}
      {data && (
        <div className="kpis">
          <div className="kpi">
            <span className="kpi-label">{t('overview.activeRules')}</span>
            {data.active ? <Link href={'/releases/' + encodeURIComponent(data.active)} className="kpi-value" data-testid="active-version">{data.active}</Link>
              : <span className="kpi-value">—</span>}
          </div>
          <div className={'kpi' + (data.deadLetters > 0 ? ' warn' : '')}>
            <span className="kpi-label">{t('overview.deadLetters')}</span>
            <Link href="/dead-letters" className="kpi-value">{fmtNumber(data.deadLetters, lang)}</Link>
          </div>
          <div className="kpi">
            <span className="kpi-label">{t('overview.outboxBacklog')}</span>
            <span className="kpi-value">{data.outbox === null ? '—' : fmtNumber(data.outbox, lang)}</span>
          </div>
          <div className="kpi">
            <span className="kpi-label">{t('overview.openTotal')}</span>
            <Link href="/mismatches?status=OPEN" className="kpi-value">{fmtNumber(data.open.total, lang)}</Link>
          </div>
        </div>
      )}
      {data && shown.length === 0 && <p>{t('overview.noTasks')}</p>}
      {data && shown.map((task) => <TaskGroup key={task} task={task} data={data} granularity={granularity} setGranularity={setGranularity} />)}
    </section>
  );
}

function TaskGroup({ task, data, granularity, setGranularity }:
  { task: string; data: Snapshot; granularity: Granularity; setGranularity: (g: Granularity) => void }) {
  const { t, lang } = useI18n();
  const health = data.health.find((h) => h.task === task);
  const buckets = filled(data.stats, task);
  const recent = data.recent.buckets.filter((b) => b.task === task);
  const recentMinutes = Math.max(1, (Date.now() - new Date(data.recent.from).getTime()) / 60e3);
  const perMinute = recent.reduce((s, b) => s + b.checked, 0) / recentMinutes;
  const sessions = (data.sessions ?? []).filter((s) => s.task === task);
  const open = data.open.items.filter((m) => m.task === task);
  const byType = count(open.map((m) => m.type));
  const bySeverity = count(open.map((m) => m.severity));
  const failed = sessions.some((s) => s.state === 'FAILED' || s.lastError);
  const id = 'task-' + task;

  return (
    <article className={'card' + (failed ? ' failed' : '')} aria-labelledby={id} data-testid="task-group">
      <h2 id={id}>{t('overview.taskGroup', { task })} {failed && <span className="badge bad">{t('overview.failed')}</span>}</h2>
      <div className="grid3">
        <dl className="facts">
          <dt>{t('overview.checkedPerMinute')}</dt><dd>{fmtNumber(perMinute, lang, 1)}</dd>
          <dt>{t('overview.mismatchRate')}</dt><dd>{fmtPercent(health?.mismatchRate, lang)}</dd>
          <dt>{t('overview.openByAge')}</dt>
          <dd>{health ? AGES.filter((k) => k in health.openByAge).map((k) => `${t(ageKey(k))}: ${health.openByAge[k]}`).join(' · ') : '—'}</dd>
          <dt>{t('overview.timeToResolve')}</dt>
          <dd>{health && Object.keys(health.timeToResolve).length
            ? Object.entries(health.timeToResolve).map(([k, v]) => `${k === 'byHand' ? t('overview.byHand') : t('overview.auto')}: p50 ${fmtDuration(v.p50Seconds)}, p90 ${fmtDuration(v.p90Seconds)}`).join(' · ')
            : '—'}</dd>
        </dl>
        <div>
          <h3>{t('overview.openByType')}</h3>
          <ul className="counts">
            {byType.map(([k, v]) => <li key={k}><Link href={'/mismatches' + query({ task, type: k, status: 'OPEN' })}>{k}</Link> {v}</li>)}
            {byType.length === 0 && <li>—</li>}
          </ul>
          <h3>{t('overview.openBySeverity')}</h3>
          <ul className="counts">
            {bySeverity.map(([k, v]) => <li key={k}><span className={'sev sev-' + k}>{k}</span> {v}</li>)}
            {bySeverity.length === 0 && <li>—</li>}
          </ul>
          {data.open.total > data.open.items.length && <p className="muted small">{t('overview.sampled', { n: data.open.items.length })}</p>}
        </div>
        <div>
          <div className="row">
            <h3>{t('overview.trend')}</h3>
            <div role="group" aria-label={t('overview.granularity')} className="seg">
              {(Object.keys(RANGES) as Granularity[]).map((g) => (
                <button key={g} type="button" aria-pressed={g === granularity} className={g === granularity ? 'on' : ''}
                  onClick={() => setGranularity(g)}>{g}</button>
              ))}
            </div>
          </div>
          <TrendChart buckets={buckets} lang={lang} title={t('overview.trendOf', { task })} withDate={granularity !== '5m'} />
        </div>
      </div>
      <h3>{t('overview.sessions')}</h3>
      {data.sessionsError ? <p className="muted">{t('overview.sessionsHidden', { reason: data.sessionsError })}</p> : (
        <table className="table">
          <thead><tr>
            <th scope="col">{t('ops.partition')}</th><th scope="col">{t('ops.state')}</th><th scope="col">{t('ops.rulesVersion')}</th>
            <th scope="col">{t('ops.watermark')}</th><th scope="col">{t('ops.lag')}</th>
          </tr></thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.partition} className={s.state === 'FAILED' ? 'bad-row' : ''} data-testid="session-row">
                <td>{s.partition}</td><td><span className={'badge ' + (s.state === 'RUNNING' ? 'good' : 'bad')}>{s.state}</span></td>
                <td data-testid="session-version">{s.rulesVersion}</td><td>{fmtDate(s.watermark, lang)}</td>
                <td>{s.watermark ? fmtDuration((Date.now() - new Date(s.watermark).getTime()) / 1000) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}

const AGES = ['under1h', '1hTo1d', '1dTo7d', 'over7d'];

function ageKey(k: string) {
  return ({ under1h: 'overview.ageUnder1h', '1hTo1d': 'overview.age1hTo1d', '1dTo7d': 'overview.age1dTo7d', over7d: 'overview.ageOver7d' } as const)[k as 'under1h'] ?? 'overview.ageOver7d';
}

const BUCKET_MS: Record<string, number> = { '5m': 300e3, '1h': 3600e3, '1d': 86400e3 };

/** Every bucket of the range, the empty ones as zero, so that the chart's time axis is even. */
function filled(stats: StatsAnswer, task: string): Bucket[] {
  const len = BUCKET_MS[stats.granularity] ?? 3600e3;
  const byStart = new Map(stats.buckets.filter((b) => b.task === task).map((b) => [new Date(b.start).getTime(), b]));
  const out: Bucket[] = [];
  for (let t = new Date(stats.from).getTime(); t <= new Date(stats.to).getTime(); t += len) {
    out.push(byStart.get(t) ?? { start: new Date(t).toISOString(), task, checked: 0, mismatched: 0, autoResolved: 0, repaired: 0, resolvedByHand: 0, ignored: 0 });
  }
  return out;
}

function count(values: string[]): [string, number][] {
  const m = new Map<string, number>();
  values.forEach((v) => m.set(v, (m.get(v) ?? 0) + 1));
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
}
