import { useEffect, useState, type FormEvent } from 'react';
import { api, query } from '../api';
import { useI18n, type Lang, type T } from '../i18n';
import type { MessageKey } from '../i18n/en';
import { useSession } from '../session';
import { useNotices, ErrorBanner } from '../notices';
import { usePoll } from '../usePoll';
import { Link, navigate, useLocation } from '../router';
import { fmtDate, fmtNumber } from '../format';
import { ActionDialog } from '../components/ActionDialog';
import type { BatchOutcome, MismatchPage, QueueBatchOutcome } from '../types';

export const STATUSES = ['OPEN', 'CONFIRMED', 'REPAIRING', 'REPAIR_FAILED', 'RESOLVED', 'AUTO_RESOLVED', 'IGNORED'];
const FILTERS = ['task', 'type', 'status', 'key', 'from', 'to'] as const;
type FilterName = (typeof FILTERS)[number];
/** The columns the server sorts by (QueueOrder), each with the direction of its first click. */
const SORTS = { task: 'asc', type: 'asc', key: 'asc', status: 'asc', severity: 'asc', firstSeen: 'desc' } as const;
type SortName = keyof typeof SORTS;
const DEFAULT_SORT: SortName = 'firstSeen';
type CaseBatch = 'ignore' | 'resolve' | 'assign' | 'comment';
/** Run by the service in the background (second checks, repairs): confirmed with the dry run's count of what would be done. */
type StartBatch = 'recheck' | 'repair';
type Batch = CaseBatch | StartBatch;
const STARTS: readonly Batch[] = ['recheck', 'repair'];
const BATCH_FIELD: Record<CaseBatch, MessageKey> = {
  ignore: 'case.reason', resolve: 'case.note', assign: 'case.assignee', comment: 'case.comment',
};

/** ISO instant <-> the value of a datetime-local input, in the browser's time zone. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d.getTime())) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60e3).toISOString().slice(0, 16);
}
function fromLocalInput(v: string): string {
  return v ? new Date(v).toISOString() : '';
}

export function MismatchesPage() {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { act } = useNotices();
  const { params } = useLocation();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Record<FilterName, string>;
  const page = Math.max(0, Number(params.get('page') ?? 0) || 0);
  const size = Number(params.get('size') ?? 50) || 50;
  const sort: SortName = (params.get('sort') ?? '') in SORTS ? (params.get('sort') as SortName) : DEFAULT_SORT;
  const dir = params.get('dir') === 'asc' || params.get('dir') === 'desc' ? params.get('dir')! : SORTS[sort];
  // the default order stays out of the URL, so that a plain link to the queue stays plain
  const order = sort === DEFAULT_SORT && dir === SORTS[DEFAULT_SORT] ? {} : { sort, dir };
  const listQuery = query({ ...filters, ...order, page, size });
  const filterQuery = query(filters);
  const hasFilter = FILTERS.some((f) => filters[f]);
  const { data, error, reload } = usePoll(() => api.get<MismatchPage>('/api/mismatches' + listQuery), [listQuery]);
  const [draft, setDraft] = useState(filters);
  const [batch, setBatch] = useState<Batch | null>(null);
  const [outcome, setOutcome] = useState<BatchOutcome | null>(null);
  const [preview, setPreview] = useState<QueueBatchOutcome | null>(null);

  useEffect(() => setDraft(filters), [filterQuery]); // eslint-disable-line react-hooks/exhaustive-deps

  const apply = (e?: FormEvent, next = draft) => {
    e?.preventDefault();
    navigate('/mismatches' + query({ ...next, ...order, size: size === 50 ? undefined : size }));
  };
  const go = (p: number) => navigate('/mismatches' + query({ ...filters, ...order, page: p || undefined, size: size === 50 ? undefined : size }));
  // a new order starts again at the first page: page 7 of another order is a different set of rows
  const sortBy = (col: SortName) => {
    const nextDir = col === sort ? (dir === 'asc' ? 'desc' : 'asc') : SORTS[col];
    const next = col === DEFAULT_SORT && nextDir === SORTS[DEFAULT_SORT] ? {} : { sort: col, dir: nextDir };
    navigate('/mismatches' + query({ ...filters, ...next, size: size === 50 ? undefined : size }));
  };
  const header = (col: SortName, label: MessageKey) => (
    <th scope="col" aria-sort={col === sort ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort" data-testid={'sort-' + col} data-dir={col === sort ? dir : undefined}
        title={t('queue.sortBy', { column: t(label) })} onClick={() => sortBy(col)}>
        {t(label)}<span aria-hidden="true" className="sort-mark">{col === sort ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  );
  const pages = data ? Math.max(1, Math.ceil(data.total / size)) : 1;

  const open = async (b: Batch) => {
    setOutcome(null);
    setPreview(null);
    if (STARTS.includes(b)) {
      const p = await act(() => api.post<QueueBatchOutcome>('/api/mismatches/batch/' + b + query({ ...filters, dryRun: 'true' })));
      if (!p) return;
      setPreview(p);
    }
    setBatch(b);
  };

  const runBatch = async (action: Batch, text: string) => {
    if (STARTS.includes(action)) {
      const r = await act(() => api.post<QueueBatchOutcome>('/api/mismatches/batch/' + action + filterQuery), t('queue.batchDone'));
      setBatch(null);
      setPreview(null);
      if (r) setOutcome(r);
      void reload();
      return;
    }
    const body = action === 'ignore' ? { reason: text } : action === 'resolve' ? { note: text || undefined }
      : action === 'assign' ? { user: text } : { text };
    const r = await act(() => api.post<BatchOutcome>('/api/mismatches/batch/' + action + filterQuery, body),
      t('queue.batchDone'));
    setBatch(null);
    if (r) setOutcome(r);
    void reload();
  };

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">{t('queue.title')}</h1>
      <form className="filters" onSubmit={apply} aria-label={t('queue.filters')}>
        <div><label htmlFor="f-task">{t('field.task')}</label>
          <input id="f-task" data-testid="filter-task" value={draft.task} onChange={(e) => setDraft({ ...draft, task: e.target.value })} /></div>
        <div><label htmlFor="f-type">{t('field.type')}</label>
          <input id="f-type" data-testid="filter-type" list="known-types" value={draft.type}
            onChange={(e) => setDraft({ ...draft, type: e.target.value.toUpperCase() })} />
          <datalist id="known-types">{[...new Set(data?.items.map((m) => m.type))].map((ty) => <option key={ty} value={ty} />)}</datalist></div>
        <div><label htmlFor="f-status">{t('field.status')}</label>
          <select id="f-status" data-testid="filter-status" value={draft.status}
            onChange={(e) => { const next = { ...draft, status: e.target.value }; setDraft(next); apply(undefined, next); }}>
            <option value="">{t('queue.any')}</option>
            {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select></div>
        <div><label htmlFor="f-key">{t('field.key')}</label>
          <input id="f-key" data-testid="filter-key" value={draft.key} onChange={(e) => setDraft({ ...draft, key: e.target.value })} /></div>
        <div><label htmlFor="f-from">{t('queue.from')}</label>
          <input id="f-from" type="datetime-local" data-testid="filter-from" value={toLocalInput(draft.from)}
            onChange={(e) => setDraft({ ...draft, from: fromLocalInput(e.target.value) })} /></div>
        <div><label htmlFor="f-to">{t('queue.to')}</label>
          <input id="f-to" type="datetime-local" data-testid="filter-to" value={toLocalInput(draft.to)}
            onChange={(e) => setDraft({ ...draft, to: fromLocalInput(e.target.value) })} /></div>
        <div className="filter-buttons">
          <button type="submit" data-testid="filter-apply">{t('queue.apply')}</button>
          <button type="button" className="secondary" data-testid="filter-clear" onClick={() => navigate('/mismatches')}>{t('queue.clear')}</button>
        </div>
      </form>

      <div className="toolbar">
        <span data-testid="queue-total" aria-live="polite">{data ? t('queue.total', { n: fmtNumber(data.total, lang) }) : ''}</span>
        <a href={'/api/mismatches/export' + query({ format: 'csv', ...filters, ...order })} data-testid="export-csv" download>{t('queue.exportCsv')}</a>
        <a href={'/api/mismatches/export' + query({ format: 'xlsx', ...filters, ...order })} data-testid="export-xlsx" download>{t('queue.exportXlsx')}</a>
        {can('handle') && (
          <span className="batch" role="group" aria-label={t('queue.batchGroup')}>
            {(['ignore', 'resolve', 'assign', 'comment', 'recheck', 'repair'] as Batch[]).map((b) => (
              <button key={b} type="button" className="secondary" data-testid={'batch-' + b} disabled={!hasFilter || !data?.total}
                title={hasFilter ? undefined : t('queue.batchNeedsFilter')} onClick={() => void open(b)}>
                {t(('queue.batch.' + b) as MessageKey)}
              </button>
            ))}
          </span>
        )}
      </div>
      {can('handle') && !hasFilter && <p className="muted small">{t('queue.batchNeedsFilter')}</p>}
      {outcome && (
        <div className="banner banner-ok" role="status" data-testid="batch-outcome">
          {STARTS.includes(outcome.action as Batch) ? t('queue.batchStarted', { applied: outcome.applied, matched: outcome.matched })
            : t('queue.batchOutcome', { applied: outcome.applied, matched: outcome.matched })}
          {outcome.refused.length > 0 && (
            <ul>{outcome.refused.slice(0, 20).map((r) => <li key={r.id}>#{r.id}: {r.reason}</li>)}</ul>
          )}
        </div>
      )}
      {batch && preview && STARTS.includes(batch) && (
        <ActionDialog title={t(('queue.batch.' + batch) as MessageKey)} message={previewText(preview, describe(filters), t, lang)}
          blocked={preview.matched > preview.limit || preview.applied === 0} confirmLabel={t('common.confirm')}
          onConfirm={() => runBatch(batch, '')} onCancel={() => { setBatch(null); setPreview(null); }} />
      )}
      {batch && data && !STARTS.includes(batch) && (
        <ActionDialog title={t(('queue.batch.' + batch) as MessageKey)}
          message={t('queue.batchConfirm', { n: fmtNumber(data.total, lang), filter: describe(filters) })}
          field={t(BATCH_FIELD[batch as CaseBatch])} required={batch !== 'resolve'} confirmLabel={t('common.confirm')}
          onConfirm={(text) => runBatch(batch, text)} onCancel={() => setBatch(null)} />
      )}
      <ErrorBanner error={error} />
      <div className="table-wrap">
        <table className="table" data-testid="mismatch-table">
          <caption className="sr-only">{t('queue.title')}</caption>
          <thead><tr>
            <th scope="col">#</th>{header('task', 'field.task')}{header('type', 'field.type')}
            {header('key', 'field.key')}{header('status', 'field.status')}{header('severity', 'field.severity')}
            <th scope="col">{t('field.reason')}</th>{header('firstSeen', 'field.firstSeen')}<th scope="col">{t('field.assignee')}</th>
          </tr></thead>
          <tbody>
            {data?.items.map((m) => (
              <tr key={m.id} data-testid="mismatch-row" data-id={m.id} data-type={m.type} data-status={m.status} data-key={m.key}>
                <td><Link href={'/mismatches/' + m.id} data-testid="mismatch-link">{m.id}</Link></td>
                <td>{m.task}</td><td>{m.type}</td><td>{m.key}</td>
                <td><span className={'badge status-' + m.status}>{m.status}</span></td>
                <td><span className={'sev sev-' + m.severity}>{m.severity}</span></td>
                <td className="reason">{m.reason}</td><td className="nowrap">{fmtDate(m.firstSeen, lang)}</td>
                <td>{m.assignee ?? ''}</td>
              </tr>
            ))}
            {data && data.items.length === 0 && <tr><td colSpan={9}>{t('queue.empty')}</td></tr>}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label={t('queue.paging')}>
        <button type="button" className="secondary" disabled={page <= 0} onClick={() => go(page - 1)}>{t('queue.prev')}</button>
        <span>{t('queue.pageOf', { page: page + 1, pages })}</span>
        <button type="button" className="secondary" disabled={page + 1 >= pages} onClick={() => go(page + 1)}>{t('queue.next')}</button>
        <label htmlFor="q-size">{t('queue.pageSize')}</label>
        <select id="q-size" value={size} onChange={(e) => navigate('/mismatches' + query({ ...filters, ...order, size: e.target.value }))}>
          {[20, 50, 100, 200, 500].map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </nav>
    </section>
  );
}

/** The confirmation of a re-check or repair over the filter: how many of the matched would be done, and why not the rest. */
function previewText(p: QueueBatchOutcome, filter: string, t: T, lang: Lang): string {
  if (p.matched > p.limit) return t('queue.batchOverLimit', { n: fmtNumber(p.matched, lang), limit: fmtNumber(p.limit, lang) });
  const text = t(('queue.batchPreview.' + p.action) as MessageKey,
    { applied: fmtNumber(p.applied, lang), matched: fmtNumber(p.matched, lang), filter });
  const first = p.refused[0];
  return first ? text + ' ' + t('queue.batchPreviewRefused', { n: fmtNumber(p.refusedCount, lang), id: first.id, reason: first.reason }) : text;
}

function describe(filters: Record<string, string>): string {
  return Object.entries(filters).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join(', ');
}
