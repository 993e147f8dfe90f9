import { useRef, useState } from 'react';
import { api } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { ErrorBanner, useNotices } from '../notices';
import { usePoll } from '../usePoll';
import { Link, navigate } from '../router';
import { fmtDate } from '../format';
import type { Activation, Release } from '../types';

export function ReleasesPage() {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { act } = useNotices();
  const { data, error, reload } = usePoll(() => Promise.all([api.get<Release[]>('/api/releases'), api.get<Activation[]>('/api/releases/activations')]), []);
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const releases = data?.[0] ?? [];
  const activations = data?.[1] ?? [];

  const importFile = async (file: File) => {
    const text = await file.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      await act(() => Promise.reject(new Error(t('releases.importNotJson', { file: file.name }))));
      return;
    }
    await act(() => api.post<Release>('/api/releases/import', body), t('releases.imported', { file: file.name }));
    void reload();
  };

  return (
    <section aria-labelledby="rel-title">
      <h1 id="rel-title">{t('releases.title')}</h1>
      <ErrorBanner error={error} />
      <div className="toolbar">
        <form className="row" onSubmit={(e) => { e.preventDefault(); if (a && b) navigate(`/releases/${encodeURIComponent(b)}?compare=${encodeURIComponent(a)}`); }}>
          <label htmlFor="cmp-a">{t('releases.compare')}</label>
          <select id="cmp-a" data-testid="compare-a" value={a} onChange={(e) => setA(e.target.value)}>
            <option value="">—</option>{releases.map((r) => <option key={r.version}>{r.version}</option>)}
          </select>
          <label htmlFor="cmp-b">{t('releases.with')}</label>
          <select id="cmp-b" data-testid="compare-b" value={b} onChange={(e) => setB(e.target.value)}>
            <option value="">—</option>{releases.map((r) => <option key={r.version}>{r.version}</option>)}
          </select>
          <button type="submit" className="secondary" data-testid="compare" disabled={!a || !b || a === b}>{t('releases.showDiff')}</button>
        </form>
        {can('release') && (
          <>
            <label htmlFor="import-file" className="button secondary">{t('releases.import')}</label>
            <input id="import-file" ref={fileInput} type="file" accept=".json,application/json" className="sr-only" data-testid="import"
              onChange={(e) => { const f = e.target.files?.[0]; if (f) void importFile(f); e.target.value = ''; }} />
          </>
        )}
      </div>
      <div className="table-wrap">
        <table className="table" data-testid="releases">
          <caption className="sr-only">{t('releases.title')}</caption>
          <thead><tr>
            <th scope="col">{t('releases.version')}</th><th scope="col">{t('field.status')}</th><th scope="col">{t('releases.author')}</th>
            <th scope="col">{t('releases.notes')}</th><th scope="col">{t('releases.created')}</th><th scope="col">{t('releases.origin')}</th>
            <th scope="col">{t('releases.ruleChanges')}</th>
          </tr></thead>
          <tbody>
            {releases.map((r) => (
              <tr key={r.version} data-testid="release-row" data-version={r.version} data-status={r.status}>
                <td><Link href={'/releases/' + encodeURIComponent(r.version)}>{r.version}</Link></td>
                <td><span className={'badge rel-' + r.status}>{r.status}</span></td>
                <td>{r.author ?? ''}</td><td className="reason">{r.notes ?? ''}</td><td className="nowrap">{fmtDate(r.createdAt, lang)}</td>
                <td>{r.origin}</td>
                <td>{r.diff ? `+${r.diff.added.length} −${r.diff.removed.length} ~${r.diff.changed.length}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('releases.activations')}</h2>
      <ol className="timeline" data-testid="activations">
        {activations.map((x) => (
          <li key={x.id}>
            <time dateTime={x.requestedAt}>{fmtDate(x.requestedAt, lang)}</time>
            <span><strong>{x.fromVersion ?? '—'} → {x.toVersion}</strong> · {x.requestedBy} · <span className={'badge ' + (/REFUSED|FAIL/.test(x.outcome) ? 'bad' : 'good')}>{x.outcome}</span>
              {x.pauseMillis !== null && ` · ${x.pauseMillis} ms`}</span>
            {x.detail && <span className="muted">{x.detail}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
