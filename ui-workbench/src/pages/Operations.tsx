import { Fragment, useState } from 'react';
import { api, query } from '../api';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/en';
import { ErrorBanner, useNotices } from '../notices';
import { useSession } from '../session';
import { usePoll } from '../usePoll';
import { fmtDate, fmtNumber } from '../format';
import { ActionDialog } from '../components/ActionDialog';
import type { ActionItem, QuarantinedRule, SessionView } from '../types';

type Operation = 'pause' | 'resume' | 'checkpoint';
interface Pending { kind: 'session'; op: Operation; task: string; partition: number }
interface Lift { kind: 'lift'; rule: QuarantinedRule }

/** What the actuator answers to a session operation. */
interface OperationAnswer { session: string; paused?: boolean; checkpointAtOffset?: number }

/**
 * Sessions with the operations the service offers (pause, resume, checkpoint: OPERATOR), quarantined
 * rules (lifting one: RELEASER), and the action outbox with each delivery attempt.
 */
export function OperationsPage() {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { act } = useNotices();
  const sessions = usePoll(() => api.get<{ sessions: SessionView[] }>('/actuator/recon'), []);
  const quarantine = usePoll(() => api.get<QuarantinedRule[]>('/api/rules/quarantine'), []);
  const [status, setStatus] = useState('');
  const outbox = usePoll(() => api.get<{ items: ActionItem[]; total: number }>('/api/actions' + query({ status, size: 100 })), [status]);
  const [open, setOpen] = useState<number | null>(null);
  const [pending, setPending] = useState<Pending | Lift | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const operate = can('operate');

  const run = async (p: Pending) => {
    const session = `${p.task}/${p.partition}`;
    const url = `/actuator/recon/${encodeURIComponent(p.task)}/${p.partition}/${p.op}`;
    setResult(null);
    const answer = await act(() => api.post<OperationAnswer>(url));
    if (answer) {
      setResult(p.op === 'checkpoint'
        ? t('ops.checkpointDone', { session, offset: fmtNumber(answer.checkpointAtOffset ?? 0, lang) })
        : t(answer.paused ? 'ops.pauseDone' : 'ops.resumeDone', { session }));
    }
    setPending(null);
    void sessions.reload();
  };
  const lift = async (r: QuarantinedRule) => {
    await act(() => api.post(`/api/rules/quarantine/${encodeURIComponent(r.task)}/${encodeURIComponent(r.rule)}/unquarantine`),
      t('ops.unquarantined', { rule: r.rule, task: r.task }));
    setPending(null);
    void quarantine.reload();
  };

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
              {operate && <th scope="col">{t('common.actions')}</th>}
            </tr></thead>
            <tbody>
              {sessions.data.sessions.map((s) => (
                <tr key={s.task + s.partition} className={s.state === 'FAILED' || s.state === 'RESTARTING' ? 'bad-row' : ''}
                  data-testid="session-row" data-session={s.task + '/' + s.partition} data-state={s.state}>
                  <td>{s.task}</td><td>{s.partition}</td>
                  <td><span className={'badge ' + (s.state === 'RUNNING' ? 'good' : s.state === 'PAUSED' ? 'warn' : 'bad')}
                    data-testid="session-state">{s.state}</span>
                    {s.nextAttempt && <span className="small muted"> {t('ops.nextAttempt', { at: fmtDate(s.nextAttempt, lang) })}</span>}</td>
                  <td>{s.rulesVersion}</td>
                  <td>{Object.entries(s.liveFactsByType ?? {}).map(([k, v]) => `${k} ${fmtNumber(v, lang)}`).join(', ')}</td>
                  <td>{fmtNumber(s.rulesFired, lang)}</td><td className="nowrap">{fmtDate(s.watermark, lang)}</td>
                  <td>{fmtNumber(s.queueDepth, lang)}</td><td>{fmtNumber(s.nextOffset, lang)}</td><td className="nowrap">{fmtDate(s.lastCheckpoint, lang)}</td>
                  <td>{s.lastError ?? ''}</td>
                  {operate && (
                    <td className="nowrap">
                      {(s.state === 'PAUSED' ? ['resume', 'checkpoint'] as Operation[] : ['pause', 'checkpoint'] as Operation[]).map((op) => (
                        <button key={op} type="button" className="secondary small" data-testid={'session-' + op}
                          aria-label={t(('ops.op.' + op) as MessageKey) + ' ' + s.task + '/' + s.partition}
                          onClick={() => setPending({ kind: 'session', op, task: s.task, partition: s.partition })}>
                          {t(('ops.op.' + op) as MessageKey)}
                        </button>
                      ))}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result && <div className="banner banner-ok" role="status" data-testid="op-result">{result}</div>}
      {pending?.kind === 'session' && (
        <ActionDialog title={t(('ops.op.' + pending.op) as MessageKey) + ' ' + pending.task + '/' + pending.partition}
          message={t(('ops.confirm.' + pending.op) as MessageKey, { session: pending.task + '/' + pending.partition })}
          confirmLabel={t(('ops.op.' + pending.op) as MessageKey)} onConfirm={() => run(pending)} onCancel={() => setPending(null)} />
      )}

      <h2>{t('ops.quarantine')}</h2>
      <ErrorBanner error={quarantine.error} />
      <div className="table-wrap">
        <table className="table" data-testid="quarantine">
          <caption className="sr-only">{t('ops.quarantine')}</caption>
          <thead><tr>
            <th scope="col">{t('field.task')}</th><th scope="col">{t('field.rule')}</th><th scope="col">{t('ops.since')}</th>
            <th scope="col">{t('ops.faults')}</th><th scope="col">{t('field.reason')}</th>
            {can('release') && <th scope="col">{t('common.actions')}</th>}
          </tr></thead>
          <tbody>
            {quarantine.data?.map((r) => (
              <tr key={r.task + '/' + r.rule} data-testid="quarantined-rule" data-rule={r.rule}>
                <td>{r.task}</td><td>{r.rule}</td><td className="nowrap">{fmtDate(r.since, lang)}</td>
                <td>{fmtNumber(r.faults, lang)}</td><td className="reason">{r.reason}</td>
                {can('release') && (
                  <td><button type="button" className="secondary small" data-testid="unquarantine"
                    onClick={() => setPending({ kind: 'lift', rule: r })}>{t('ops.unquarantine')}</button></td>
                )}
              </tr>
            ))}
            {quarantine.data && quarantine.data.length === 0 && <tr><td colSpan={can('release') ? 6 : 5}>{t('ops.noQuarantine')}</td></tr>}
          </tbody>
        </table>
      </div>
      {pending?.kind === 'lift' && (
        <ActionDialog title={t('ops.unquarantine')} message={t('ops.confirm.unquarantine', { rule: pending.rule.rule, task: pending.rule.task })}
          confirmLabel={t('ops.unquarantine')} onConfirm={() => lift(pending.rule)} onCancel={() => setPending(null)} />
      )}

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
            <th scope="col">{t('ops.created')}</th><th scope="col">{t('ops.done')}</th><th scope="col">{t('ops.lastError')}</th>
          </tr></thead>
          <tbody>
            {outbox.data?.items.map((a) => (
              <Fragment key={a.id}>
                <tr data-testid="outbox-row">
                  <td>{a.id}</td><td>{a.kind}</td><td>{a.task}</td>
                  <td>{a.mismatchId ? <a href={'/mismatches/' + a.mismatchId}>{a.mismatchId}</a> : ''}</td>
                  <td>{a.channel}</td><td><span className={'badge ' + (a.status === 'FAILED' ? 'bad' : a.status === 'DONE' ? 'good' : '')}>{a.status}</span></td>
                  <td><button type="button" className="link" aria-expanded={open === a.id} data-testid="attempts"
                    aria-label={t('ops.attemptsOf', { n: a.attempts, id: a.id })} onClick={() => setOpen(open === a.id ? null : a.id)}>{a.attempts}</button></td>
                  <td className="nowrap">{fmtDate(a.createdAt, lang)}</td><td className="nowrap">{fmtDate(a.doneAt, lang)}</td><td>{a.lastError ?? ''}</td>
                </tr>
                {open === a.id && (
                  <tr><td colSpan={10}>
                    <ol className="timeline" data-testid="attempt-log">{a.attemptLog.map((l, i) => (
                      <li key={i}><time dateTime={l.at}>{fmtDate(l.at, lang)}</time> <span className={'badge ' + (l.ok ? 'good' : 'bad')}>{l.ok ? 'OK' : 'FAIL'}</span> {fmtNumber(l.durationMs, lang)} ms · {l.detail}</li>
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
