import { useState } from 'react';
import { api, ApiError } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { ErrorBanner, useNotices } from '../notices';
import { usePoll } from '../usePoll';
import { ActionDialog } from '../components/ActionDialog';
import { fmtDate, fmtNumber } from '../format';
import type { CanaryReport, CanarySide } from '../types';

/** The running canary, or null: the service answers 404 when there is none. */
async function loadCanary(): Promise<CanaryReport | null> {
  try {
    return await api.get<CanaryReport>('/api/releases/canary');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** Parses "0, 2" into partition numbers; null when it is not a list of whole numbers. */
export function parsePartitions(text: string): number[] | null {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p))) return null;
  return parts.map(Number);
}

/**
 * A version's canary on its page: a releaser starts one on some partitions of a task group; while it runs, the
 * partitions on the candidate and on the active version are compared, and it is ended (rolled back) here or rolled
 * out by activating the version.
 */
export function CanaryPanel({ version, taskGroups, activatable, onChange }:
  { version: string; taskGroups: string[]; activatable: boolean; onChange: () => void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const { act } = useNotices();
  const { data: canary, error, reload } = usePoll(loadCanary, [version]);
  const [task, setTask] = useState(taskGroups[0] ?? '');
  const [partitions, setPartitions] = useState('0');
  const [ending, setEnding] = useState(false);
  const parsed = parsePartitions(partitions);

  const start = async () => {
    if (!parsed) return;
    await act(() => api.post('/api/releases/' + encodeURIComponent(version) + '/canary', { task, partitions: parsed }),
      t('canary.started', { version, partitions: parsed.join(', '), task }));
    void reload();
    onChange();
  };
  const end = async () => {
    await act(() => api.del('/api/releases/canary'), t('canary.ended', { version: canary?.version ?? version }));
    setEnding(false);
    void reload();
    onChange();
  };

  if (canary === undefined) return <ErrorBanner error={error} />;
  if (canary) {
    return (
      <div className="card" data-testid="canary-report" aria-live="polite">
        <ErrorBanner error={error} />
        <CanaryView report={canary} />
        {can('release') && (
          <div className="row actions">
            <button type="button" className="secondary" data-testid="canary-end" onClick={() => setEnding(true)}>{t('canary.end')}</button>
          </div>
        )}
        {ending && (
          <ActionDialog title={t('canary.end')} message={t('canary.confirmEnd', { version: canary.version, active: canary.active })}
            confirmLabel={t('common.confirm')} onConfirm={end} onCancel={() => setEnding(false)} />
        )}
      </div>
    );
  }
  if (!can('release') || !activatable) return null;
  return (
    <form className="card row" data-testid="canary-form" onSubmit={(e) => { e.preventDefault(); void start(); }}>
      <h2>{t('canary.title')}</h2>
      <p className="muted">{t('canary.explain')}</p>
      <label htmlFor="canary-task">{t('canary.task')}</label>
      <select id="canary-task" data-testid="canary-task" value={task} onChange={(e) => setTask(e.target.value)}>
        {taskGroups.map((g) => <option key={g} value={g}>{g}</option>)}
      </select>
      <label htmlFor="canary-partitions">{t('canary.partitions')}</label>
      <input id="canary-partitions" data-testid="canary-partitions" value={partitions} onChange={(e) => setPartitions(e.target.value)}
        aria-invalid={parsed === null} />
      <button type="submit" data-testid="canary-start" disabled={parsed === null || !task}>{t('canary.start')}</button>
      {parsed === null && <p className="error" role="alert">{t('canary.badPartitions')}</p>}
    </form>
  );
}

function CanaryView({ report }: { report: CanaryReport }) {
  const { t, lang } = useI18n();
  const side = (s: CanarySide, testid: string) => (
    <tr data-testid={testid}>
      <td>{s.version}</td><td>{s.partitions.join(', ')}</td><td>{fmtNumber(s.recordsRead, lang)}</td>
      <td>{fmtNumber(s.opened, lang)}</td><td>{fmtNumber(s.healed, lang)}</td><td>{fmtNumber(s.openedPerThousand, lang, 3)}</td>
    </tr>
  );
  return (
    <>
      <h2>{t('canary.running', { version: report.version, task: report.task, active: report.active })}</h2>
      <p className="muted">{t('canary.since', { at: fmtDate(report.startedAt, lang), by: report.startedBy })}</p>
      <table>
        <thead><tr><th>{t('canary.version')}</th><th>{t('canary.partitions')}</th><th>{t('canary.recordsRead')}</th>
          <th>{t('canary.opened')}</th><th>{t('canary.healed')}</th><th>{t('canary.perThousand')}</th></tr></thead>
        <tbody>{side(report.candidate, 'canary-candidate')}{side(report.baseline, 'canary-baseline')}</tbody>
      </table>
      <table>
        <thead><tr><th>{t('canary.partition')}</th><th>{t('canary.version')}</th><th>{t('field.status')}</th><th>{t('canary.recordsRead')}</th>
          <th>{t('canary.opened')}</th><th>{t('canary.healed')}</th></tr></thead>
        <tbody>
          {report.partitions.map((p) => (
            <tr key={p.partition} data-testid="canary-partition" className={p.canary ? 'highlight' : undefined}>
              <td>{p.partition}</td><td>{p.rulesVersion ?? '—'}</td><td>{p.state}</td><td>{fmtNumber(p.recordsRead, lang)}</td>
              <td>{fmtNumber(p.opened, lang)}</td><td>{fmtNumber(p.healed, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t('canary.rollOut', { version: report.version })}</p>
    </>
  );
}
