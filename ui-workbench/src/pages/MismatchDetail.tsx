import { useState } from 'react';
import { api } from '../api';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/en';
import { useSession } from '../session';
import { ErrorBanner, useNotices } from '../notices';
import { usePoll } from '../usePoll';
import { Link } from '../router';
import { fmtDate } from '../format';
import { ActionDialog } from '../components/ActionDialog';
import { FactsSideBySide } from '../components/FactsSideBySide';
import type { ActionItem, MismatchDetail } from '../types';

type CaseAction = 'assign' | 'comment' | 'resolve' | 'ignore' | 'recheck' | 'repair';
const FIELD: Partial<Record<CaseAction, MessageKey>> = {
  assign: 'case.assignee', comment: 'case.comment', resolve: 'case.note', ignore: 'case.reason',
};

export function MismatchDetailPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { act } = useNotices();
  const { data, error, reload } = usePoll(() => api.get<MismatchDetail>('/api/mismatches/' + encodeURIComponent(id)), [id]);
  const actions = usePoll(() => api.get<{ items: ActionItem[] }>('/api/actions?mismatchId=' + encodeURIComponent(id)).catch(() => ({ items: [] })), [id], 10000);
  const [open, setOpen] = useState<CaseAction | null>(null);

  const run = async (action: CaseAction, text: string) => {
    const body = action === 'assign' ? { user: text } : action === 'comment' ? { text } : action === 'resolve' ? { note: text || undefined }
      : action === 'ignore' ? { reason: text } : undefined;
    await act(() => api.post('/api/mismatches/' + id + '/' + action, body), t('case.done', { action: t(('case.' + action) as MessageKey) }));
    setOpen(null);
    void reload();
  };

  const m = data?.mismatch;
  return (
    <section aria-labelledby="detail-title">
      <p><Link href="/mismatches">← {t('detail.back')}</Link></p>
      <h1 id="detail-title">{t('detail.title', { id })}</h1>
      <ErrorBanner error={error} />
      {m && (
        <>
          <dl className="facts two">
            <dt>{t('field.task')}</dt><dd>{m.task}</dd>
            <dt>{t('field.key')}</dt><dd data-testid="detail-key">{m.key}</dd>
            <dt>{t('field.type')}</dt><dd>{m.type}</dd>
            <dt>{t('field.status')}</dt><dd><span className={'badge status-' + m.status} data-testid="detail-status">{m.status}</span></dd>
            <dt>{t('field.severity')}</dt><dd><span className={'sev sev-' + m.severity}>{m.severity}</span></dd>
            <dt>{t('field.rule')}</dt><dd>{m.rule}</dd>
            <dt>{t('field.rulesVersion')}</dt><dd><Link href={'/releases/' + encodeURIComponent(m.rulesVersion)}>{m.rulesVersion}</Link></dd>
            <dt>{t('field.firstSeen')}</dt><dd>{fmtDate(m.firstSeen, lang)}</dd>
            <dt>{t('field.lastSeen')}</dt><dd>{fmtDate(m.lastSeen, lang)}</dd>
            <dt>{t('field.assignee')}</dt><dd>{m.assignee ?? '—'}</dd>
          </dl>
          <p className="reason-box" data-testid="detail-reason">{m.reason}</p>
          {can('handle') && (
            <div className="row actions" role="group" aria-label={t('detail.actions')}>
              {(['resolve', 'ignore', 'assign', 'comment', 'recheck', 'repair'] as CaseAction[]).map((a) => (
                <button key={a} type="button" className={a === 'resolve' ? '' : 'secondary'} data-testid={'action-' + a} onClick={() => setOpen(a)}>
                  {t(('case.' + a) as MessageKey)}
                </button>
              ))}
            </div>
          )}
          {open && (
            <ActionDialog title={t(('case.' + open) as MessageKey)} message={t('case.confirmOne', { id, key: m.key })}
              field={FIELD[open] ? t(FIELD[open]!) : undefined} required={open === 'ignore' || open === 'assign' || open === 'comment'}
              confirmLabel={t('common.confirm')} onConfirm={(text) => run(open, text)} onCancel={() => setOpen(null)} />
          )}
          <h2>{t('detail.facts')}</h2>
          <FactsSideBySide facts={Array.isArray(data.snapshot) ? data.snapshot : []} />
          <div className="grid2">
            <div>
              <h2>{t('detail.history')}</h2>
              <ol className="timeline" data-testid="history">
                {data.history.map((h, i) => (
                  <li key={i}>
                    <time dateTime={h.at}>{fmtDate(h.at, lang)}</time>
                    <span><strong>{h.from ? `${h.from} → ${h.to}` : h.to}</strong> · {h.actor}</span>
                    {h.note && <span className="muted">{h.note}</span>}
                  </li>
                ))}
              </ol>
            </div>
            <div>
              <h2>{t('detail.notes')}</h2>
              {data.notes.length === 0 ? <p className="muted">{t('detail.noNotes')}</p> : (
                <ul className="notes" data-testid="notes">
                  {data.notes.map((n, i) => <li key={i}><strong>{n.author}</strong> <time dateTime={n.at}>{fmtDate(n.at, lang)}</time><p>{n.text}</p></li>)}
                </ul>
              )}
              <h2>{t('detail.alerts')}</h2>
              {(actions.data?.items ?? []).length === 0 ? <p className="muted">—</p> : (
                <ul className="notes">
                  {actions.data!.items.map((a) => <li key={a.id}>{a.kind} · {a.channel} · <span className="badge">{a.status}</span> · {t('ops.attempts')}: {a.attempts}{a.lastError ? ' · ' + a.lastError : ''}</li>)}
                </ul>
              )}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
