import { useState } from 'react';
import { api, ApiError, query } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { ErrorBanner, useNotices } from '../notices';
import { usePoll } from '../usePoll';
import { Link, navigate, useLocation } from '../router';
import { fmtDate, fmtIsoDuration, fmtNumber } from '../format';
import { DiffView } from '../releases/DiffView';
import { ActionDialog } from '../components/ActionDialog';
import type { Finding, Release, RuleFile, RuleProblem, ShadowReport } from '../types';
import { RuleProblemList } from '../rules/RuleProblems';
import { CanaryPanel } from '../releases/Canary';

type Op = 'activate' | 'rollback' | 'retire';

export function ReleaseDetailPage({ version }: { version: string }) {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { act } = useNotices();
  const { params } = useLocation();
  const compare = params.get('compare') ?? '';
  const v = encodeURIComponent(version);
  const { data, error, reload } = usePoll(() => Promise.all([api.get<Release>('/api/releases/' + v), api.get<Release[]>('/api/releases')]), [version]);
  const [shadow, setShadow] = useState<ShadowReport | null>(null);
  const [shadowBusy, setShadowBusy] = useState(false);
  // a refused shadow run or activation names the rule at fault: shown here as well as in the notice
  const [problems, setProblems] = useState<RuleProblem[]>([]);
  const problemsOf = (e: unknown) => (e instanceof ApiError ? ((e.body as { errors?: RuleProblem[] })?.errors ?? []) : []);
  const [op, setOp] = useState<Op | null>(null);
  const diff = usePoll(async () => {
    if (!compare) return null;
    const [a, b] = await Promise.all([
      api.get<{ files: RuleFile[] }>('/api/releases/' + encodeURIComponent(compare) + '/files'),
      api.get<{ files: RuleFile[] }>('/api/releases/' + v + '/files'),
    ]);
    return { before: a.files, after: b.files };
  }, [compare, version], null);

  const release = data?.[0];
  const all = data?.[1] ?? [];
  const runShadow = async () => {
    setShadowBusy(true);
    setProblems([]);
    const r = await act(() => api.get<ShadowReport>('/api/releases/' + v + '/shadow').catch((e: unknown) => {
      setProblems(problemsOf(e));
      setShadow(null);
      throw e;
    }));
    setShadowBusy(false);
    if (r) setShadow(r);
  };
  const runOp = async (o: Op) => {
    setProblems([]);
    await act(() => api.post('/api/releases/' + v + '/' + o).catch((e: unknown) => { setProblems(problemsOf(e)); throw e; }), t(('releases.done.' + o) as 'releases.done.activate', { version }));
    setOp(null);
    void reload();
  };

  return (
    <section aria-labelledby="rd-title">
      <p><Link href="/releases">← {t('releases.title')}</Link></p>
      <h1 id="rd-title">{t('releases.versionTitle', { version })}</h1>
      <ErrorBanner error={error} />
      {release && (
        <>
          <dl className="facts two">
            <dt>{t('field.status')}</dt><dd><span className={'badge rel-' + release.status} data-testid="release-status">{release.status}</span></dd>
            <dt>{t('releases.author')}</dt><dd>{release.author ?? '—'}</dd>
            <dt>{t('releases.created')}</dt><dd>{fmtDate(release.createdAt, lang)}</dd>
            <dt>{t('releases.origin')}</dt><dd>{release.origin}</dd>
            <dt>{t('releases.taskGroups')}</dt><dd>{release.taskGroups.join(', ')}</dd>
            <dt>{t('releases.previous')}</dt><dd>{release.previousVersion ?? '—'}</dd>
            <dt>{t('releases.notes')}</dt><dd>{release.notes ?? '—'}</dd>
            <dt>SHA-256</dt><dd className="mono small">{release.kjarSha256 ?? '—'}</dd>
          </dl>
          {release.diff && release.previousVersion && (
            <p>{t('releases.diffSummary', { prev: release.previousVersion ?? '—', added: release.diff.added.join(', ') || '—', removed: release.diff.removed.join(', ') || '—', changed: release.diff.changed.join(', ') || '—' })}</p>
          )}
          <div className="row actions" role="group" aria-label={t('common.actions')}>
            {can('inspect') && <button type="button" className="secondary" data-testid="shadow" disabled={shadowBusy} onClick={() => void runShadow()}>
              {shadowBusy ? t('releases.shadowRunning') : t('releases.shadow')}</button>}
            {can('release') && release.status !== 'ACTIVE' && release.status !== 'RETIRED' &&
              <button type="button" data-testid="activate" onClick={() => setOp('activate')}>{t('releases.activate')}</button>}
            {can('release') && release.status === 'ACTIVE' &&
              <button type="button" className="secondary" data-testid="rollback" onClick={() => setOp('rollback')}>{t('releases.rollback')}</button>}
            {can('release') && release.status !== 'ACTIVE' && release.status !== 'RETIRED' &&
              <button type="button" className="secondary" data-testid="retire" onClick={() => setOp('retire')}>{t('releases.retire')}</button>}
            {can('inspect') && <a className="button secondary" data-testid="export" href={'/api/releases/' + v + '/export'} download={`recon-rules-${version}.json`}>{t('releases.export')}</a>}
            {can('author') && <Link className="button secondary" data-testid="draft-from" href={'/rules' + query({ from: version })}>{t('releases.draftFrom')}</Link>}
          </div>
          {op && (
            <ActionDialog title={t(('releases.' + op) as 'releases.activate')} message={t(('releases.confirm.' + op) as 'releases.confirm.activate', { version })}
              confirmLabel={t('common.confirm')} onConfirm={() => runOp(op)} onCancel={() => setOp(null)} />
          )}
          <RuleProblemList problems={problems} />
          {shadow && <ShadowView report={shadow} />}
          <CanaryPanel version={version} taskGroups={release.taskGroups} activatable={release.status !== 'ACTIVE' && release.status !== 'RETIRED'}
            onChange={() => void reload()} />
          <h2>{t('releases.diff')}</h2>
          <div className="row">
            <label htmlFor="diff-against">{t('releases.compareWith')}</label>
            <select id="diff-against" data-testid="diff-against" value={compare}
              onChange={(e) => navigate('/releases/' + v + query({ compare: e.target.value }), { replace: true })}>
              <option value="">—</option>
              {all.filter((r) => r.version !== version).map((r) => <option key={r.version} value={r.version}>{r.version} ({r.status})</option>)}
            </select>
          </div>
          <ErrorBanner error={diff.error} />
          {diff.data && <DiffView before={diff.data.before} after={diff.data.after} beforeLabel={compare} afterLabel={version} />}
        </>
      )}
    </section>
  );
}

function ShadowView({ report }: { report: ShadowReport }) {
  const { t, lang } = useI18n();
  const list = (items: Finding[], testid: string) => items.length === 0 ? <p className="muted">—</p> : (
    <ul className="changes" data-testid={testid}>
      {items.map((f, i) => (
        <li key={i} data-testid="shadow-finding">
          <Link href={'/mismatches' + query({ task: f.task, key: f.key })}>{f.type} {f.key}</Link> <span className={'sev sev-' + f.severity}>{f.severity}</span>
          <div className="muted small">{f.rule}: {f.reason}</div>
        </li>
      ))}
    </ul>
  );
  return (
    <div className="card" data-testid="shadow-report" aria-live="polite">
      <h2>{t('releases.shadowTitle', { candidate: report.candidate, active: report.active })}</h2>
      <p>{t('releases.shadowStats', { records: fmtNumber(report.records, lang), window: fmtIsoDuration(report.window), millis: report.millis })}</p>
      <div className="grid2">
        <div><h3>{t('releases.wouldAdd', { n: report.added.length })}</h3>{list(report.added, 'shadow-added')}</div>
        <div><h3>{t('releases.wouldRemove', { n: report.removed.length })}</h3>{list(report.removed, 'shadow-removed')}</div>
      </div>
    </div>
  );
}
