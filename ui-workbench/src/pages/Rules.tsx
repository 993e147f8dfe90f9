import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { ErrorBanner, useNotices } from '../notices';
import { Link, navigate, useLocation } from '../router';
import { fmtDate } from '../format';
import { FileTree } from '../rules/FileTree';
import { TableGrid } from '../rules/TableGrid';
import { ScenarioEditor } from '../rules/ScenarioEditor';
import { kindOf, markersFor } from '../rules/problems';
import { parseCsv, readXlsx, toCsv, writeXlsx } from '../rules/tables';
import { parseScenario, type ScenarioDoc } from '../rules/scenario';
import type { Draft, Release, RuleFile, RuleProblem, TestResponse, ValidateResponse } from '../types';

/** A new scenario file starts as the mock test's own example, to be edited row by row. */
const STARTER_SCENARIO: ScenarioDoc = {
  name: 'A late payment heals the missing payment',
  steps: [
    { at: 0, insert: 'Order', fields: { orderId: 'O-1', customerId: 'C-1', amount: '100.00', currency: 'EUR', status: 'CREATED' } },
    { at: 30, expect: ['MISSING O-1'] },
    { at: 45, insert: 'Payment', fields: { paymentId: 'P-1', orderId: 'O-1', amount: '100.00', currency: 'EUR', status: 'SUCCESS' } },
    { expect: [] },
  ],
};

const CodeEditor = lazy(() => import('../rules/CodeEditor'));
const VALIDATE_DELAY_MS = 700;
const AUTOSAVE_DELAY_MS = 3000;

/** The draft's name in the URL, so that a refresh or a shared link opens the same draft and file. */
export function RulesPage() {
  const { t, lang } = useI18n();
  const { can, session } = useSession();
  const { act } = useNotices();
  const { params } = useLocation();
  const draftName = params.get('draft');
  const fromVersion = params.get('from');
  const selected = params.get('file');
  const author = can('author');

  const [releases, setReleases] = useState<Release[]>([]);
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [problems, setProblems] = useState<RuleProblem[]>([]);
  const [validation, setValidation] = useState<'idle' | 'running' | 'ok' | 'errors' | 'failed'>('idle');
  const [ruleNames, setRuleNames] = useState<string[]>([]);
  const [dirty, setDirty] = useState(false);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [start, setStart] = useState('');
  const [newFile, setNewFile] = useState('');
  const [publishing, setPublishing] = useState(false);
  const [testResult, setTestResult] = useState<Record<string, TestResponse>>({});
  const [running, setRunning] = useState(false);
  const [scenarioAsText, setScenarioAsText] = useState(false);
  const [tables, setTables] = useState<Record<string, string[][]>>({});

  const listDrafts = useCallback(() => {
    if (!author) return;
    api.get<Draft[]>('/api/drafts').then(setDrafts).catch(() => setDrafts([]));
  }, [author]);

  useEffect(() => {
    api.get<Release[]>('/api/releases').then((r) => {
      setReleases(r);
      setStart((s) => s || r.find((x) => x.status === 'ACTIVE')?.version || r[0]?.version || '');
    }).catch((e) => setLoadError((e as Error).message));
    listDrafts();
  }, [listDrafts]);

  // Open the draft (or the released version, read as a new draft) named in the URL. After the first
  // save of a new draft the URL names it, but what is on screen is newer than anything to load.
  const justSaved = useRef<string | null>(null);
  useEffect(() => {
    if (draftName && justSaved.current === draftName) {
      justSaved.current = null;
      return;
    }
    setLoadError(null);
    setProblems([]);
    setTestResult({});
    setTables({});
    if (draftName) {
      api.get<Draft>('/api/drafts/' + encodeURIComponent(draftName))
        .then((d) => { setDraft(d); setDirty(false); setSavedAt(d.updatedAt ?? null); })
        .catch((e) => { setDraft(null); setLoadError((e as Error).message); });
    } else if (fromVersion) {
      api.get<{ files: RuleFile[] }>('/api/releases/' + encodeURIComponent(fromVersion) + '/files')
        .then((r) => {
          const name = `${session?.user ?? 'draft'}-from-${fromVersion}`;
          setDraft({ name, task: session?.tasks?.[0] && session.tasks[0] !== '*' ? session.tasks[0] : 'trade', baseVersion: fromVersion, files: r.files });
          setDirty(author);
          setSavedAt(null);
        })
        .catch((e) => { setDraft(null); setLoadError((e as Error).message); });
    } else {
      setDraft(null);
    }
  }, [draftName, fromVersion]); // eslint-disable-line react-hooks/exhaustive-deps

  const files = useMemo(() => draft?.files ?? [], [draft]);
  const current = files.find((f) => f.name === selected) ?? null;

  const select = (name: string) => {
    const q = new URLSearchParams(params);
    q.set('file', name);
    navigate('/rules?' + q.toString(), { replace: true });
  };

  useEffect(() => {
    if (draft && !current && files.length) select(files.find((f) => kindOf(f.name) === 'drl')?.name ?? files[0].name);
  }, [draft, current, files]); // eslint-disable-line react-hooks/exhaustive-deps

  const updateFile = useCallback((name: string, content: string) => {
    setDraft((d) => (d ? { ...d, files: d.files.map((f) => (f.name === name ? { ...f, content } : f)) } : d));
    setDirty(true);
  }, []);

  // Validation as the analyst types: debounced, the newest answer wins.
  const validateGen = useRef(0);
  const validate = useCallback(async (fs: RuleFile[]) => {
    const mine = ++validateGen.current;
    setValidation('running');
    try {
      const r = await api.post<ValidateResponse>('/api/rules/validate', { files: fs });
      if (mine !== validateGen.current) return;
      setProblems(r.errors);
      setRuleNames(r.rules);
      setValidation(r.ok ? 'ok' : 'errors');
    } catch (e) {
      if (mine !== validateGen.current) return;
      setValidation('failed');
      setProblems([]);
      setLoadError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    if (!author || !files.length) return;
    const timer = window.setTimeout(() => void validate(files), VALIDATE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [files, author, validate]);

  const save = useCallback(async (d: Draft) => {
    const saved = await act(() => api.put<Draft>('/api/drafts/' + encodeURIComponent(d.name), { ...d, updatedAt: undefined, author: undefined }));
    if (saved !== undefined) {
      setDirty(false);
      setSavedAt(saved?.updatedAt ?? new Date().toISOString());
      if (!draftName) justSaved.current = d.name;
      if (!draftName) navigate('/rules?draft=' + encodeURIComponent(d.name) + (selected ? '&file=' + encodeURIComponent(selected) : ''), { replace: true });
      listDrafts();
    }
  }, [act, draftName, selected, listDrafts]);
  useEffect(() => {
    if (!author || !dirty || !draft) return;
    const timer = window.setTimeout(() => void save(draft), AUTOSAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [draft, dirty, author, save]);

  // Decision tables: XLSX is base64 in the draft and a grid on screen.
  useEffect(() => {
    if (!current || tables[current.name]) return;
    const k = kindOf(current.name);
    if (k === 'csv') setTables((x) => ({ ...x, [current.name]: parseCsv(current.content) }));
    if (k === 'xlsx') {
      readXlsx(current.content).then((rows) => setTables((x) => ({ ...x, [current.name]: rows })))
        .catch((e) => setLoadError(t('rules.xlsxUnreadable', { file: current.name, reason: (e as Error).message })));
    }
  }, [current, tables, t]);
  const changeTable = async (name: string, rows: string[][]) => {
    setTables((x) => ({ ...x, [name]: rows }));
    updateFile(name, kindOf(name) === 'xlsx' ? await writeXlsx(rows) : toCsv(rows));
  };

  const addFile = () => {
    const name = newFile.trim();
    if (!draft || !name || files.some((f) => f.name === name)) return;
    const content = kindOf(name) === 'scenario' ? JSON.stringify(STARTER_SCENARIO, null, 2) + '\n'
      : kindOf(name) === 'drl' ? 'package recon.' + (draft.task || 'trade') + ';\n\n' : '';
    setDraft({ ...draft, files: [...draft.files, { name, content }] });
    setDirty(true);
    setNewFile('');
    select(name);
  };
  const removeFile = (name: string) => {
    if (!draft) return;
    setDraft({ ...draft, files: draft.files.filter((f) => f.name !== name) });
    setDirty(true);
  };

  const runScenario = async (name: string, doc: ScenarioDoc) => {
    setRunning(true);
    const r = await act(() => api.post<TestResponse>('/api/rules/test', { files, scenario: doc }));
    setRunning(false);
    if (r) {
      setTestResult((x) => ({ ...x, [name]: r }));
      if (r.errors.length) setProblems(r.errors);
    }
  };

  const publish = async (version: string, notes: string) => {
    try {
      const r = await api.post<Release>('/api/releases', { version: version || undefined, notes: notes || undefined, files });
      setPublishing(false);
      await act(async () => r, t('rules.published', { version: r.version }));
      navigate('/releases/' + encodeURIComponent(r.version));
    } catch (e) {
      const body = e instanceof ApiError ? (e.body as { errors?: RuleProblem[] }) : undefined;
      if (body?.errors?.length) setProblems(body.errors);
      await act(() => Promise.reject(e));
      setPublishing(false);
    }
  };

  const deleteDraft = async () => {
    if (!draft || !draftName) return;
    const ok = await act(() => api.del('/api/drafts/' + encodeURIComponent(draftName)), t('rules.draftDeleted', { name: draftName }));
    if (ok !== undefined) { listDrafts(); navigate('/rules'); }
  };

  const markers = current ? markersFor(problems, current.name) : [];
  const kind = current ? kindOf(current.name) : null;
  const scenarioDoc = current && kind === 'scenario' ? parseScenario(current.content) : null;

  return (
    <section aria-labelledby="rules-title" className="rules-page">
      <h1 id="rules-title">{t('rules.title')}</h1>
      <ErrorBanner error={loadError} />
      <div className="toolbar">
        <form className="row" onSubmit={(e) => { e.preventDefault(); if (start) navigate('/rules?from=' + encodeURIComponent(start)); }}>
          <label htmlFor="start-from">{author ? t('rules.startFrom') : t('rules.viewVersion')}</label>
          <select id="start-from" data-testid="draft-from-version" value={start} onChange={(e) => setStart(e.target.value)}>
            {releases.map((r) => <option key={r.version} value={r.version}>{r.version} ({r.status})</option>)}
          </select>
          <button type="submit" className="secondary" data-testid="draft-start" disabled={!start}>{author ? t('rules.start') : t('rules.open')}</button>
        </form>
        {author && <Link href="/rules/comparison" data-testid="nocode-link">{t('rules.comparison')}</Link>}
        {author && (
          <div className="row">
            <label htmlFor="open-draft">{t('rules.drafts')}</label>
            <select id="open-draft" data-testid="draft-select" value={draftName ?? ''}
              onChange={(e) => e.target.value && navigate('/rules?draft=' + encodeURIComponent(e.target.value))}>
              <option value="">—</option>
              {drafts.map((d) => <option key={d.name} value={d.name}>{d.name}{d.author ? ` (${d.author})` : ''}</option>)}
            </select>
          </div>
        )}
      </div>

      {!draft && !loadError && <p className="muted">{t('rules.pick')}</p>}
      {draft && (
        <div className="rules-layout">
          <aside className="rules-side" aria-label={t('rules.files')}>
            <h2>{t('rules.files')}</h2>
            <p className="small muted" data-testid="draft-name">
              {draftName ? t('rules.draftNamed', { name: draft.name }) : author ? t('rules.unsaved', { name: draft.name }) : t('rules.readOnly', { version: fromVersion ?? '' })}
              {draft.baseVersion && ' · ' + t('rules.basedOn', { version: draft.baseVersion })}
            </p>
            <FileTree files={files.map((f) => f.name)} selected={selected} onSelect={select} problems={problems} />
            {author && (
              <form className="row" onSubmit={(e) => { e.preventDefault(); addFile(); }}>
                <label htmlFor="new-file" className="sr-only">{t('rules.newFile')}</label>
                <input id="new-file" className="grow" placeholder="recon/trade/new.drl" value={newFile} onChange={(e) => setNewFile(e.target.value)} />
                <button type="submit" className="secondary" data-testid="file-add">{t('rules.add')}</button>
              </form>
            )}
            {author && (
              <div className="stack">
                <button type="button" className="secondary" data-testid="save-draft" onClick={() => void save(draft)}>
                  {dirty ? t('rules.save') : t('rules.saved')}
                </button>
                {savedAt && <span className="small muted">{t('rules.savedAt', { at: fmtDate(savedAt, lang) })}</span>}
                <button type="button" className="secondary" data-testid="validate-run" onClick={() => void validate(files)}>{t('rules.validate')}</button>
                <span className="small" data-testid="validation-state" data-state={validation} aria-live="polite">{t(('rules.validation.' + validation) as 'rules.validation.ok', { n: problems.length })}</span>
                <button type="button" data-testid="publish" onClick={() => setPublishing(true)}>{t('rules.publish')}</button>
                {draftName && <button type="button" className="secondary" data-testid="draft-delete" onClick={() => void deleteDraft()}>{t('rules.deleteDraft')}</button>}
              </div>
            )}
          </aside>
          <div className="rules-main">
            {current && (
              <>
                <div className="row">
                  <h2 className="grow">{current.name}</h2>
                  {author && <button type="button" className="secondary" data-testid="file-delete" onClick={() => removeFile(current.name)}>{t('rules.deleteFile')}</button>}
                  {kind === 'scenario' && (
                    <button type="button" className="secondary" data-testid="scenario-as-text" aria-pressed={scenarioAsText}
                      onClick={() => setScenarioAsText(!scenarioAsText)}>{scenarioAsText ? t('rules.asRows') : t('rules.asText')}</button>
                  )}
                </div>
                {(kind === 'csv' || kind === 'xlsx') && (tables[current.name]
                  ? <TableGrid name={current.name} rows={tables[current.name]} markers={markers} onChange={(rows) => void changeTable(current.name, rows)} />
                  : <p>{t('common.loading')}</p>)}
                {kind === 'scenario' && scenarioDoc && !scenarioAsText && (
                  <ScenarioEditor key={current.name} doc={scenarioDoc} canRun={author} running={running} result={testResult[current.name] ?? null}
                    onChange={(doc) => updateFile(current.name, JSON.stringify(doc, null, 2) + '\n')}
                    onRun={() => void runScenario(current.name, scenarioDoc)} />
                )}
                {(kind === 'drl' || kind === 'dsl' || kind === 'dslr' || kind === 'other' || (kind === 'scenario' && (!scenarioDoc || scenarioAsText))) && (
                  <Suspense fallback={<p>{t('rules.loadingEditor')}</p>}>
                    {kind === 'scenario' && !scenarioDoc && <p className="problem">{t('rules.scenarioInvalid')}</p>}
                    <CodeEditor key={current.name} value={current.content} markers={markers} readOnly={!author}
                      language={kind === 'scenario' || kind === 'other' ? 'plain' : 'drl'}
                      label={t('rules.editorOf', { file: current.name })} onChange={(v) => updateFile(current.name, v)} />
                  </Suspense>
                )}
              </>
            )}
            {problems.length > 0 && (
              <div className="problems-panel">
                <h2>{t('rules.problems', { n: problems.length })}</h2>
                <ul className="problems">
                  {problems.map((p, i) => (
                    <li key={i} data-testid="editor-error" data-file={p.file ?? ''} data-line={p.line} data-column={p.column} data-kind={p.kind}>
                      <button type="button" className="link" onClick={() => p.file && select(p.file)}>
                        {p.file ?? '—'}{p.line ? `:${p.line}` : ''}{p.column ? `:${p.column}` : ''}
                      </button>{' '}
                      <span className={'badge ' + (p.kind === 'SANDBOX' ? 'warn' : 'bad')}>{p.kind}</span> {p.message}
                      {p.detail && <div className="muted small">{p.detail}</div>}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {validation === 'ok' && ruleNames.length > 0 && (
              <details className="small"><summary>{t('rules.ruleNames', { n: ruleNames.length })}</summary><ul>{ruleNames.map((r) => <li key={r}>{r}</li>)}</ul></details>
            )}
          </div>
        </div>
      )}
      {publishing && draft && <PublishDialog onCancel={() => setPublishing(false)} onPublish={publish} />}
    </section>
  );
}

function PublishDialog({ onPublish, onCancel }: { onPublish: (version: string, notes: string) => Promise<void>; onCancel: () => void }) {
  const t = useI18n().t;
  const [version, setVersion] = useState('');
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="pub-title" data-testid="action-dialog"
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <form onSubmit={async (e) => { e.preventDefault(); setBusy(true); await onPublish(version.trim(), notes.trim()); setBusy(false); }}>
        <h2 id="pub-title">{t('rules.publish')}</h2>
        <p>{t('rules.publishExplain')}</p>
        <label htmlFor="pub-version">{t('rules.publishVersion')}</label>
        <input id="pub-version" data-testid="publish-version" value={version} placeholder="1.1.0" onChange={(e) => setVersion(e.target.value)} autoFocus />
        <label htmlFor="pub-notes">{t('releases.notes')}</label>
        <textarea id="pub-notes" data-testid="publish-notes" rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} />
        <div className="row end">
          <button type="button" className="secondary" data-testid="confirm-cancel" onClick={onCancel}>{t('common.cancel')}</button>
          <button type="submit" data-testid="confirm-ok" disabled={busy}>{busy ? t('rules.publishing') : t('rules.publish')}</button>
        </div>
      </form>
    </div>
  );
}
