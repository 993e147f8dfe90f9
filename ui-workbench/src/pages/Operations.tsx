import { Fragment, useState } from 'react';
import { api, query } from '../api';
import { useI18n } from '../i18n';
import { ErrorBanner } from '../notices';
import { usePoll } from '../usePoll';
import { fmtDate, fmtNumber } from '../format';
import type { ActionItem, SessionView } from '../types';

export function OperationsPage() {
  const { t, lang } = useI18n();
  const sessions = usePoll(() => api.get<{ sessions: SessionView[] }>('/actuator/recon'), []);
  const [status, setStatus] = useState('');
  const outbox = usePoll(() => api.get<{ items: ActionItem[]; total: number }>('/api/actions' + query({ status, size: 100 })), [status]);
  const [open, setOpen] = useState<number | null>(null);

  return (
    <section aria-labelledby="ops-title">
      <h1 id="ops-title">{t('ops.title')}</h1>
      <h2>{t('ops.sessions')}</h2>
      <ErrorBanner error={sessions.error} />
      {sessions.data && (
        <div className="table-wrap">
          <table className="table" data-testid="sessions">
            <caption className="sr-only">{t('ops.sessions')}</caption>
            <thead><tr>
              <th scope="col">{t('field.task')}</th><th scope="col">{t('ops.partition')}</th><th scope="col">{t('ops.state')}</th>
              <th scope="col">{t('ops.rulesVersion')}</th><th scope="col">{t('ops.liveFacts')}</th><th scope="col">{t('ops.rulesFired')}</th>
              <th scope="col">{t('ops.watermark')}</th><th scope="col">{t('ops.queueDepth')}</th><th scope="col">{t('ops.nextOffset')}</th>
              <th scope="col">{t('ops.lastCheckpoint')}</th><th scope="col">{t('ops.lastError')}</th>
            </tr></thead>
            <tbody>
              {sessions.data.sessions.map((s) => (
                <tr key={s.task + s.partition} className={s.state === 'FAILED' ? 'bad-row' : ''}>
                  <td>{s.task}</td><td>{s.partition}</td>
                  <td><span className={'badge ' + (s.state === 'RUNNING' ? 'good' : 'bad')}>{s.state}</span></td>
                  <td>{s.rulesVersion}</td>
                  <td>{Object.entries(s.liveFactsByType ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')}</td>
                  <td>{fmtNumber(s.rulesFired, lang)}</td><td className="nowrap">{fmtDate(s.watermark, lang)}</td>
                  <td>{fmtNumber(s.queueDepth, lang)}</td><td>{s.nextOffset}</td><td className="nowrap">{fmtDate(s.lastCheckpoint, lang)}</td>
                  <td>{s.lastError ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">{t('ops.noControls')}</p>
      <h2>{t('ops.outbox')}</h2>
      <div className="filters">
        <div><label htmlFor="ob-status">{t('field.status')}</label>
          <select id="ob-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('queue.any')}</option>
            {['PENDING', 'DONE', 'FAILED'].map((s) => <option key={s} value={s}>{s}</option>)}
          </select></div>
        <p>{outbox.data ? t('dl.total', { n: fmtNumber(outbox.data.total, lang) }) : ''}</p>
      </div>
      <ErrorBanner error={outbox.error} />
      <div className="table-wrap">
        <table className="table" data-testid="outbox">
          <caption className="sr-only">{t('ops.outbox')}</caption>
          <thead><tr>
            <th scope="col">#</th><th scope="col">{t('ops.kind')}</th><th scope="col">{t('field.task')}</th><th scope="col">{t('ops.mismatch')}</th>
            <th scope="col">{t('ops.channel')}</th><th scope="col">{t('field.status')}</th><th scope="col">{t('ops.attempts')}</th>
            <th scope="col">{t('ops.created')}</th><th scope="col">{t('ops.lastError')}</th>
          </tr></thead>
          <tbody>
            {outbox.data?.items.map((a) => (
              <Fragment key={a.id}>
                <tr>
                  <td>{a.id}</td><td>{a.kind}</td><td>{a.task}</td>
                  <td>{a.mismatchId ? <a href={'/mismatches/' + a.mismatchId}>{a.mismatchId}</a> : ''}</td>
                  <td>{a.channel}</td><td><span className={'badge ' + (a.status === 'FAILED' ? 'bad' : a.status === 'DONE' ? 'good' : '')}>{a.status}</span></td>
                  <td><button type="button" className="link" aria-expanded={open === a.id} onClick={() => setOpen(open === a.id ? null : a.id)}>{a.attempts}</button></td>
                  <td className="nowrap">{fmtDate(a.createdAt, lang)}</td><td>{a.lastError ?? ''}</td>
                </tr>
                {open === a.id && (
                  <tr><td colSpan={9}>
                    <ol className="timeline">{a.attemptLog.map((l, i) => (
                      <li key={i}><time dateTime={l.at}>{fmtDate(l.at, lang)}</time> <span className={'badge ' + (l.ok ? 'good' : 'bad')}>{l.ok ? 'OK' : 'FAIL'}</span> {l.durationMs} ms · {l.detail}</li>
                    ))}</ol>
                  </td></tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
