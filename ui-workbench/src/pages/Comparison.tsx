import { useEffect, useMemo, useState } from 'react';
import { api } from '../api';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/en';
import { useSession } from '../session';
import { ErrorBanner, useNotices } from '../notices';
import { Link, navigate } from '../router';
import { TableGrid } from '../rules/TableGrid';
import { comparisonProblems, comparisonTable, type CheckKind, type Comparison, type FieldCheck } from '../rules/comparison';
import { parseFields } from '../rules/scenario';
import { toCsv } from '../rules/tables';
import { markersFor } from '../rules/problems';
import type { Release, RuleFile, RuleProblem, SessionView, TestResponse } from '../types';

const START: Comparison = {
  task: 'trade', table: 'Order and payment compared', left: 'Order', right: 'Payment', leftKey: 'orderId', rightKey: 'orderId', rightId: 'paymentId',
  windowSeconds: 0,
  checks: [{ name: 'The payment is for the amount of its order', left: 'amount', right: 'amount', kind: 'absolute', value: '0.01', type: 'CMP_AMOUNT', severity: 'P2', reason: 'The amounts differ' }],
};
const KINDS: CheckKind[] = ['same', 'absolute', 'percent', 'equivalence'];

/**
 * The no-code comparison task: pick two fact types, the key that joins them, the fields to compare
 * with a tolerance or an equivalence map, and a window; the page writes the decision table, mock-tests
 * it with two sample records, and publishes it with the active rules as a new version.
 */
export function ComparisonPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const { act } = useNotices();
  const [c, setC] = useState<Comparison>(START);
  const [types, setTypes] = useState<string[]>([]);
  const [base, setBase] = useState<{ version: string; files: RuleFile[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sampleLeft, setSampleLeft] = useState('orderId=O-1, customerId=C-1, amount=100.00, currency=EUR, status=CREATED');
  const [sampleRight, setSampleRight] = useState('paymentId=P-1, orderId=O-1, amount=120.00, currency=EUR, status=SUCCESS');
  const [result, setResult] = useState<TestResponse | null>(null);
  const [problems, setProblems] = useState<RuleProblem[]>([]);
  const [version, setVersion] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.get<{ sessions: SessionView[] }>('/actuator/recon')
      .then((r) => setTypes([...new Set(r.sessions.flatMap((s) => Object.keys(s.liveFactsByType ?? {})))].sort())).catch(() => setTypes([]));
    api.get<Release[]>('/api/releases').then(async (rs) => {
      const active = rs.find((r) => r.status === 'ACTIVE');
      if (!active) return;
      const f = await api.get<{ files: RuleFile[] }>('/api/releases/' + encodeURIComponent(active.version) + '/files');
      setBase({ version: active.version, files: f.files });
    }).catch((e) => setError((e as Error).message));
  }, []);

  const formProblems = comparisonProblems(c, t);
  const rows = useMemo(() => comparisonTable(c), [c]);
  const fileName = `recon/${c.task}/${c.table.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'comparison'}.drl.csv`;
  const files = (): RuleFile[] => [...(base?.files ?? []).filter((f) => f.name !== fileName), { name: fileName, content: toCsv(rows) }];
  const setCheck = (i: number, patch: Partial<FieldCheck>) => setC({ ...c, checks: c.checks.map((k, j) => (j === i ? { ...k, ...patch } : k)) });

  const test = async () => {
    setBusy(true);
    const scenario = {
      name: t('cmp.sampleScenario'), task: c.task,
      steps: [{ at: 0, insert: c.left, fields: parseFields(sampleLeft) }, { at: 1, insert: c.right, fields: parseFields(sampleRight) }, { at: 2 }],
    };
    const r = await act(() => api.post<TestResponse>('/api/rules/test', { files: files(), scenario }));
    setBusy(false);
    if (r) { setResult(r); setProblems(r.errors); }
  };
  const publish = async () => {
    setBusy(true);
    const r = await act(() => api.post<Release>('/api/releases', { version: version.trim() || undefined, notes: t('cmp.notes', { table: c.table }), files: files() }));
    setBusy(false);
    if (r) navigate('/releases/' + encodeURIComponent(r.version));
  };

  const detected = result?.results?.[0]?.steps.flatMap((s) => s.detected) ?? [];
  return (
    <section aria-labelledby="cmp-title">
      <p><Link href="/rules">← {t('rules.title')}</Link></p>
      <h1 id="cmp-title">{t('cmp.title')}</h1>
      <p className="muted">{t('cmp.intro', { version: base?.version ?? '—' })}</p>
      <ErrorBanner error={error} />
      <datalist id="fact-types">{types.map((x) => <option key={x} value={x} />)}</datalist>
      <form className="filters" aria-label={t('cmp.title')} onSubmit={(e) => e.preventDefault()}>
        <div><label htmlFor="cmp-table">{t('cmp.table')}</label><input id="cmp-table" value={c.table} onChange={(e) => setC({ ...c, table: e.target.value })} /></div>
        <div><label htmlFor="cmp-task">{t('cmp.task')}</label><input id="cmp-task" size={8} value={c.task} onChange={(e) => setC({ ...c, task: e.target.value })} /></div>
        <div><label htmlFor="cmp-left">{t('cmp.left')}</label><input id="cmp-left" list="fact-types" size={10} value={c.left} onChange={(e) => setC({ ...c, left: e.target.value })} /></div>
        <div><label htmlFor="cmp-left-key">{t('cmp.leftKey')}</label><input id="cmp-left-key" size={10} value={c.leftKey} onChange={(e) => setC({ ...c, leftKey: e.target.value })} /></div>
        <div><label htmlFor="cmp-right">{t('cmp.right')}</label><input id="cmp-right" list="fact-types" size={10} value={c.right} onChange={(e) => setC({ ...c, right: e.target.value })} /></div>
        <div><label htmlFor="cmp-right-key">{t('cmp.rightKey')}</label><input id="cmp-right-key" size={10} value={c.rightKey} onChange={(e) => setC({ ...c, rightKey: e.target.value })} /></div>
        <div><label htmlFor="cmp-right-id">{t('cmp.rightId')}</label><input id="cmp-right-id" size={10} value={c.rightId} onChange={(e) => setC({ ...c, rightId: e.target.value })} /></div>
        <div><label htmlFor="cmp-window">{t('cmp.window')}</label><input id="cmp-window" type="number" min={0} size={6} value={c.windowSeconds}
          onChange={(e) => setC({ ...c, windowSeconds: Math.max(0, Number(e.target.value) || 0) })} /></div>
      </form>
      <h2>{t('cmp.checks')}</h2>
      <div className="table-wrap">
        <table className="table grid">
          <caption className="sr-only">{t('cmp.checks')}</caption>
          <thead><tr>
            <th scope="col">{t('cmp.checkName')}</th><th scope="col">{t('cmp.leftField')}</th><th scope="col">{t('cmp.rightField')}</th>
            <th scope="col">{t('cmp.kind')}</th><th scope="col">{t('cmp.value')}</th><th scope="col">{t('field.type')}</th>
            <th scope="col">{t('field.severity')}</th><th scope="col">{t('field.reason')}</th><th scope="col"><span className="sr-only">{t('common.actions')}</span></th>
          </tr></thead>
          <tbody>
            {c.checks.map((k, i) => (
              <tr key={i} data-testid="cmp-check">
                <td><input aria-label={t('cmp.checkNameOf', { n: i + 1 })} value={k.name} onChange={(e) => setCheck(i, { name: e.target.value })} /></td>
                <td><input aria-label={t('cmp.leftFieldOf', { n: i + 1 })} value={k.left} onChange={(e) => setCheck(i, { left: e.target.value })} /></td>
                <td><input aria-label={t('cmp.rightFieldOf', { n: i + 1 })} value={k.right} onChange={(e) => setCheck(i, { right: e.target.value })} /></td>
                <td><select aria-label={t('cmp.kindOf', { n: i + 1 })} value={k.kind} onChange={(e) => setCheck(i, { kind: e.target.value as CheckKind })}>
                  {KINDS.map((x) => <option key={x} value={x}>{t(('cmp.kind.' + x) as MessageKey)}</option>)}</select></td>
                <td><input aria-label={t('cmp.valueOf', { n: i + 1 })} value={k.value} disabled={k.kind === 'same'} onChange={(e) => setCheck(i, { value: e.target.value })} /></td>
                <td><input aria-label={t('cmp.typeOf', { n: i + 1 })} value={k.type} onChange={(e) => setCheck(i, { type: e.target.value.toUpperCase() })} /></td>
                <td><select aria-label={t('cmp.severityOf', { n: i + 1 })} value={k.severity} onChange={(e) => setCheck(i, { severity: e.target.value })}>
                  {['P1', 'P2', 'P3', 'P4'].map((x) => <option key={x}>{x}</option>)}</select></td>
                <td><input aria-label={t('cmp.reasonOf', { n: i + 1 })} value={k.reason} onChange={(e) => setCheck(i, { reason: e.target.value })} /></td>
                <td><button type="button" className="link" aria-label={t('cmp.removeCheck', { n: i + 1 })}
                  onClick={() => setC({ ...c, checks: c.checks.filter((_, j) => j !== i) })}>−</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" className="secondary" data-testid="cmp-add-check"
        onClick={() => setC({ ...c, checks: [...c.checks, { name: '', left: '', right: '', kind: 'same', value: '', type: 'CMP_FIELD', severity: 'P3', reason: '' }] })}>
        {t('cmp.addCheck')}</button>
      {formProblems.length > 0 && <ul className="problems" data-testid="cmp-problems">{formProblems.map((p) => <li key={p} className="problem">{p}</li>)}</ul>}
      <h2>{t('cmp.generated', { file: fileName })}</h2>
      <TableGrid name={fileName} rows={rows} markers={markersFor(problems, fileName)} onChange={() => {}} readOnly />
      <h2>{t('cmp.mockTest')}</h2>
      <div className="filters">
        <div className="grow"><label htmlFor="cmp-sample-left">{t('cmp.sampleOf', { type: c.left })}</label>
          <input id="cmp-sample-left" value={sampleLeft} onChange={(e) => setSampleLeft(e.target.value)} /></div>
        <div className="grow"><label htmlFor="cmp-sample-right">{t('cmp.sampleOf', { type: c.right })}</label>
          <input id="cmp-sample-right" value={sampleRight} onChange={(e) => setSampleRight(e.target.value)} /></div>
      </div>
      {can('author') && (
        <div className="row">
          <button type="button" className="secondary" data-testid="cmp-test" disabled={busy || formProblems.length > 0 || !base} onClick={() => void test()}>{t('cmp.test')}</button>
          <label htmlFor="cmp-version">{t('rules.publishVersion')}</label>
          <input id="cmp-version" value={version} placeholder="1.1.0" onChange={(e) => setVersion(e.target.value)} />
          <button type="button" data-testid="cmp-publish" disabled={busy || formProblems.length > 0 || !base} onClick={() => void publish()}>{t('rules.publish')}</button>
        </div>
      )}
      {result && (
        <div className={'banner ' + (result.errors.length ? 'banner-error' : 'banner-ok')} role="status" data-testid="cmp-result">
          {result.errors.length ? t('scenario.doesNotBuild', { n: result.errors.length })
            : detected.length ? t('cmp.detected', { list: detected.map((d) => `${d.type} ${d.key}: ${d.reason}`).join(' · ') }) : t('cmp.nothing')}
          {result.errors.length > 0 && <ul>{result.errors.map((e, i) => <li key={i}>{e.file}:{e.line}:{e.column} {e.message}</li>)}</ul>}
        </div>
      )}
    </section>
  );
}
