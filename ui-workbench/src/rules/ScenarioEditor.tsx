import { useState } from 'react';
import { useT } from '../i18n';
import type { TestResponse } from '../types';
import { fromRows, toRows, type Op, type Row, type ScenarioDoc } from './scenario';

/**
 * A mock test as rows: when (seconds after start), what happens to which record (insert, update,
 * delete, or only the clock moving), and which mismatches must be open afterwards. "Run" hands the
 * scenario to /api/rules/test; the result of each step appears on its row.
 */
export function ScenarioEditor({ doc, onChange, onRun, running, result, canRun }: {
  doc: ScenarioDoc; onChange: (doc: ScenarioDoc) => void; onRun: () => void; running: boolean; result: TestResponse | null; canRun: boolean;
}) {
  const t = useT();
  // The rows live here: a half-typed row (an action without its type yet) is not a valid step, but must stay on screen.
  const [rows, setRows] = useState(() => toRows(doc));
  const change = (next: Row[]) => {
    setRows(next);
    onChange(fromRows(next, doc));
  };
  const set = (i: number, patch: Partial<Row>) => change(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const add = () => change([...rows, { at: '', op: '', type: '', fields: '', checks: true, expect: '' }]);
  const remove = (i: number) => change(rows.filter((_, j) => j !== i));
  const res = result?.results?.[0];

  return (
    <div className="scenario-editor" data-testid="scenario-editor">
      <div className="row">
        <label htmlFor="sc-name">{t('scenario.name')}</label>
        <input id="sc-name" className="grow" value={doc.name ?? ''} onChange={(e) => onChange({ ...doc, name: e.target.value })} />
      </div>
      <div className="table-wrap">
        <table className="table grid">
          <caption className="sr-only">{t('scenario.steps')}</caption>
          <thead><tr>
            <th scope="col">#</th><th scope="col">{t('scenario.at')}</th><th scope="col">{t('scenario.op')}</th>
            <th scope="col">{t('scenario.type')}</th><th scope="col">{t('scenario.fields')}</th>
            <th scope="col">{t('scenario.check')}</th><th scope="col">{t('scenario.expect')}</th>
            <th scope="col">{t('scenario.outcome')}</th><th scope="col"><span className="sr-only">{t('common.actions')}</span></th>
          </tr></thead>
          <tbody>
            {rows.map((r, i) => {
              const step = res?.steps.find((s) => s.step === i + 1);
              const n = i + 1;
              return (
                <tr key={i} data-testid="scenario-step" className={step ? (step.failure ? 'step-fail' : 'step-pass') : undefined}>
                  <th scope="row">{n}</th>
                  <td><input size={6} value={r.at} aria-label={t('scenario.atOf', { n })} onChange={(e) => set(i, { at: e.target.value })} /></td>
                  <td>
                    <select value={r.op} aria-label={t('scenario.opOf', { n })} onChange={(e) => set(i, { op: e.target.value as Op })}>
                      <option value="">{t('scenario.clockOnly')}</option>
                      <option value="insert">insert</option><option value="update">update</option><option value="delete">delete</option>
                    </select>
                  </td>
                  <td><input size={10} value={r.type} disabled={!r.op} aria-label={t('scenario.typeOf', { n })} onChange={(e) => set(i, { type: e.target.value })} /></td>
                  <td><input className="wide" value={r.fields} disabled={!r.op} aria-label={t('scenario.fieldsOf', { n })} placeholder={r.op ? "orderId=O-1, amount=100.00" : undefined}
                    onChange={(e) => set(i, { fields: e.target.value })} /></td>
                  <td><input type="checkbox" checked={r.checks} aria-label={t('scenario.checkOf', { n })} onChange={(e) => set(i, { checks: e.target.checked })} /></td>
                  <td><input value={r.expect} disabled={!r.checks} aria-label={t('scenario.expectOf', { n })} placeholder={r.checks ? "MISSING O-1" : undefined}
                    onChange={(e) => set(i, { expect: e.target.value })} /></td>
                  <td className="small" data-testid="step-outcome">
                    {step && (
                      <>
                        <span className={'badge ' + (step.failure ? 'bad' : 'good')}>{step.failure ? t('scenario.fail') : t('scenario.pass')}</span>
                        {Object.keys(step.fired).length > 0 && <div>{t('scenario.fired')}: {Object.entries(step.fired).map(([k, v]) => `${k} ×${v}`).join(', ')}</div>}
                        {step.detected.length > 0 && <div>{t('scenario.detected')}: {step.detected.map((c) => `${c.type} ${c.key}`).join(', ')}</div>}
                        {step.healed.length > 0 && <div>{t('scenario.healed')}: {step.healed.map((c) => `${c.type} ${c.key}`).join(', ')}</div>}
                        {step.failure && <div className="problem">{step.failure}</div>}
                      </>
                    )}
                  </td>
                  <td><button type="button" className="link" aria-label={t('scenario.removeStep', { n })} onClick={() => remove(i)}>−</button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="row">
        <button type="button" className="secondary" data-testid="scenario-add-step" onClick={add}>{t('scenario.addStep')}</button>
        {canRun && <button type="button" data-testid="scenario-run" disabled={running} onClick={onRun}>{running ? t('scenario.running') : t('scenario.run')}</button>}
      </div>
      {result && (
        <div className={'banner ' + (result.ok ? 'banner-ok' : 'banner-error')} role="status" data-testid="scenario-result" data-passed={String(result.ok)}>
          {result.errors.some((e) => e.kind === 'RUNTIME') ? t('scenario.ruleFailed', { message: result.errors.find((e) => e.kind === 'RUNTIME')!.message })
            : result.errors.length > 0 ? t('scenario.doesNotBuild', { n: result.errors.length })
            : result.ok ? t('scenario.passed', { name: res?.scenario ?? '' }) : t('scenario.failed', { failures: (res?.failures ?? []).join(' ') })}
        </div>
      )}
    </div>
  );
}
