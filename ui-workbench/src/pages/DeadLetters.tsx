import { useState } from 'react';
import { api, query } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { ErrorBanner, useNotices } from '../notices';
import { usePoll } from '../usePoll';
import { navigate, useLocation } from '../router';
import { fmtDate, fmtNumber } from '../format';
import { ActionDialog } from '../components/ActionDialog';
import type { DeadLetter } from '../types';

/** The raw payload, indented when it is JSON. */
export function pretty(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

export function DeadLettersPage() {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { act } = useNotices();
  const { params } = useLocation();
  const source = params.get('source') ?? '';
  const reason = params.get('reason') ?? '';
  const page = Number(params.get('page') ?? 0) || 0;
  const { data, error, reload } = usePoll(
    // the reason filter is the server's, so that the count and "re-drive all" cover every match, not this page's
    () => api.get<{ items: DeadLetter[]; total: number }>('/api/dead-letters' + query({ source, reason, page, size: 100 })), [source, reason, page]);
  const [draft, setDraft] = useState({ source, reason });
  const [openId, setOpenId] = useState<number | null>(null);
  const [retryAll, setRetryAll] = useState(false);
  const items = data?.items ?? [];

  const retry = async (id: number) => {
    await act(() => api.post('/api/dead-letters/' + id + '/retry'), t('dl.retried', { id }));
    void reload();
  };
  const retrySource = async () => {
    await act(() => api.post('/api/dead-letters/retry' + query({ source, reason })), t('dl.retriedAll', { source }));
    setRetryAll(false);
    void reload();
  };

  return (
    <section aria-labelledby="dl-title">
      <h1 id="dl-title">{t('dl.title')}</h1>
      <form className="filters" aria-label={t('queue.filters')}
        onSubmit={(e) => { e.preventDefault(); navigate('/dead-letters' + query(draft)); }}>
        <div><label htmlFor="dl-source">{t('field.source')}</label>
          <input id="dl-source" data-testid="filter-source" value={draft.source} onChange={(e) => setDraft({ ...draft, source: e.target.value })} /></div>
        <div><label htmlFor="dl-reason">{t('dl.reasonContains')}</label>
          <input id="dl-reason" data-testid="filter-reason" value={draft.reason} onChange={(e) => setDraft({ ...draft, reason: e.target.value })} /></div>
        <div className="filter-buttons"><button type="submit" data-testid="filter-apply">{t('queue.apply')}</button></div>
      </form>
      <div className="toolbar">
        <span>{data ? t('dl.total', { n: fmtNumber(data.total, lang) }) : ''}</span>
        {can('operate') && (
          <button type="button" className="secondary" data-testid="retry-source" disabled={!source || !data?.total}
            title={source ? undefined : t('dl.retryNeedsSource')} onClick={() => setRetryAll(true)}>{t('dl.retrySource')}</button>
        )}
      </div>
      {retryAll && data && (
        <ActionDialog title={t('dl.retrySource')} message={t('dl.retryConfirm', { n: data.total, source })}
          confirmLabel={t('common.confirm')} onConfirm={() => retrySource()} onCancel={() => setRetryAll(false)} />
      )}
      <ErrorBanner error={error} />
      <div className="table-wrap">
        <table className="table">
          <caption className="sr-only">{t('dl.title')}</caption>
          <thead><tr><th scope="col">#</th><th scope="col">{t('field.source')}</th><th scope="col">{t('field.reason')}</th>
            <th scope="col">{t('dl.received')}</th><th scope="col">{t('dl.payload')}</th>{can('operate') && <th scope="col">{t('common.actions')}</th>}</tr></thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id} data-testid="dead-letter-row">
                <td>{d.id}</td><td>{d.source}</td><td className="reason">{d.reason}</td><td className="nowrap">{fmtDate(d.receivedAt, lang)}</td>
                <td>
                  <button type="button" className="link" aria-expanded={openId === d.id} onClick={() => setOpenId(openId === d.id ? null : d.id)}>
                    {openId === d.id ? t('dl.hide') : t('dl.show')}
                  </button>
                  {openId === d.id && <pre className="payload" data-testid="payload">{pretty(d.payload)}</pre>}
                </td>
                {can('operate') && <td><button type="button" className="secondary" data-testid="retry-one" onClick={() => void retry(d.id)}>{t('dl.retry')}</button></td>}
              </tr>
            ))}
            {data && items.length === 0 && <tr><td colSpan={6}>{t('dl.empty')}</td></tr>}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label={t('queue.paging')}>
        <button type="button" className="secondary" disabled={page <= 0} onClick={() => navigate('/dead-letters' + query({ source, reason, page: page - 1 || undefined }))}>{t('queue.prev')}</button>
        <button type="button" className="secondary" disabled={!data || (page + 1) * 100 >= data.total}
          onClick={() => navigate('/dead-letters' + query({ source, reason, page: page + 1 }))}>{t('queue.next')}</button>
      </nav>
    </section>
  );
}
