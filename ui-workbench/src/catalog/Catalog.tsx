import { Fragment, useId, useState, type FormEvent } from 'react';
import { api, query } from '../api';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/en';
import { ErrorBanner, useNotices } from '../notices';
import { useSession } from '../session';
import { usePoll } from '../usePoll';
import { fmtDate, fmtPercent } from '../format';
import { CatalogForm } from './CatalogForm';
import { SPECS, changedKeys, type CatalogChange, type Database, type Kind, type Source, type Task } from './model';

interface Editing { kind: Kind; entry: object | null }
interface Deleting { kind: Kind; name: string }

/**
 * The catalog's databases, sources and tasks with their add/change forms, and its change history.
 * Databases are an operator's; sources and tasks an analyst's or an operator's (the service decides).
 */
export function Catalog({ sources, reloadSources }: { sources: Source[]; reloadSources: () => void }) {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { act } = useNotices();
  const databases = usePoll(() => api.get<Database[]>('/api/databases'), []);
  const tasks = usePoll(() => api.get<Task[]>('/api/tasks'), []);
  const changes = usePoll(() => api.get<CatalogChange[]>('/api/catalog/changes?limit=100'), []);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<Deleting | null>(null);
  const [openChange, setOpenChange] = useState<number | null>(null);
  const mayEdit = (kind: Kind) => (kind === 'database' ? can('operate') : can('catalog'));
  const reloadAll = () => {
    void databases.reload();
    void tasks.reload();
    void changes.reload();
    reloadSources();
  };
  const what = (kind: Kind) => t(('catalog.kind.' + kind) as MessageKey);

  const saved = (kind: Kind, name: string) => {
    setEditing(null);
    void act(async () => undefined, t('catalog.saved', { what: what(kind), name }));
    reloadAll();
  };
  const toggle = async (task: Task) => {
    const { origin: _o, sources: _s, task: name, ...body } = task;
    await act(() => api.put(`/api/tasks/${encodeURIComponent(name)}`, { ...body, enabled: !task.enabled }),
      t(task.enabled ? 'catalog.switchedOff' : 'catalog.switchedOn', { name }));
    reloadAll();
  };
  const remove = async (d: Deleting, dropSlot: boolean) => {
    const done = await act(async () => {
      await api.del(`${SPECS[d.kind].path}/${encodeURIComponent(d.name)}${dropSlot ? query({ dropSlot: 'true' }) : ''}`);
      return true;
    }, t('catalog.deleted', { what: what(d.kind), name: d.name }));
    setDeleting(null);
    if (done) reloadAll();
  };

  const addButton = (kind: Kind) => mayEdit(kind) && (
    <button type="button" className="secondary" data-testid={'add-' + kind} onClick={() => setEditing({ kind, entry: null })}>
      {t('catalog.add', { what: what(kind) })}
    </button>
  );
  const rowButtons = (kind: Kind, name: string, entry: object) => mayEdit(kind) && (
    <td className="nowrap">
      <button type="button" className="secondary small" data-testid={'edit-' + kind} aria-label={t('catalog.edit', { what: what(kind) }) + ' ' + name}
        onClick={() => setEditing({ kind, entry })}>{t('catalog.editShort')}</button>{' '}
      <button type="button" className="secondary small" data-testid={'delete-' + kind} aria-label={t('catalog.delete') + ' ' + name}
        onClick={() => setDeleting({ kind, name })}>{t('catalog.delete')}</button>
    </td>
  );
  const form = (kind: Kind) => editing?.kind === kind && (
    <CatalogForm kind={kind} entry={editing.entry} onCancel={() => setEditing(null)}
      choices={{ database: (databases.data ?? []).map((d) => d.name), task: (tasks.data ?? []).map((x) => x.task) }}
      onSaved={(s) => saved(kind, String((s as Record<string, unknown>)?.[SPECS[kind].key] ?? ''))} />
  );
  const status = (s?: string, reason?: string | null) => s && (
    <><span className={'badge ' + (s === 'RUNNING' ? 'good' : s === 'FAILED' ? 'bad' : '')}>{s}</span>
      {reason && <div className="small" data-testid="entry-reason">{reason}</div>}</>
  );

  return (
    <div data-testid="catalog">
      <div className="row"><h2 className="grow">{t('catalog.tasks')}</h2>{addButton('task')}</div>
      {form('task')}
      <ErrorBanner error={tasks.error} />
      <div className="table-wrap">
        <table className="table" data-testid="catalog-tasks">
          <caption className="sr-only">{t('catalog.tasks')}</caption>
          <thead><tr>
            <th scope="col">{t('field.task')}</th><th scope="col">{t('catalog.f.enabled')}</th><th scope="col">{t('catalog.f.partitions')}</th>
            <th scope="col">{t('catalog.f.sampling')}</th><th scope="col">{t('catalog.keys')}</th><th scope="col">{t('catalog.sources')}</th>
            <th scope="col">{t('catalog.origin')}</th>{mayEdit('task') && <th scope="col">{t('common.actions')}</th>}
          </tr></thead>
          <tbody>
            {(tasks.data ?? []).map((x) => (
              <tr key={x.task} data-testid="task-row" data-name={x.task} data-enabled={String(x.enabled)}>
                <td>{x.task}</td>
                <td><span className={'badge ' + (x.enabled ? 'good' : 'warn')}>{t(x.enabled ? 'catalog.on' : 'catalog.off')}</span></td>
                <td>{x.partitions}</td><td>{fmtPercent(x.sampling, lang)}</td>
                <td>{t('catalog.keyCounts', { allow: x.allowKeys.length, deny: x.denyKeys.length })}</td>
                <td>{(x.sources ?? []).join(', ')}</td><td>{x.origin ?? ''}</td>
                {mayEdit('task') && (
                  <td className="nowrap">
                    <button type="button" className="secondary small" data-testid="toggle-task" onClick={() => toggle(x)}>
                      {t(x.enabled ? 'catalog.switchOff' : 'catalog.switchOn')}</button>{' '}
                    <button type="button" className="secondary small" data-testid="edit-task" aria-label={t('catalog.edit', { what: what('task') }) + ' ' + x.task}
                      onClick={() => setEditing({ kind: 'task', entry: x })}>{t('catalog.editShort')}</button>{' '}
                    <button type="button" className="secondary small" data-testid="delete-task" aria-label={t('catalog.delete') + ' ' + x.task}
                      onClick={() => setDeleting({ kind: 'task', name: x.task })}>{t('catalog.delete')}</button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="row"><h2 className="grow">{t('catalog.sources')}</h2>{addButton('source')}</div>
      {form('source')}
      <div className="table-wrap">
        <table className="table" data-testid="catalog-sources">
          <caption className="sr-only">{t('catalog.sources')}</caption>
          <thead><tr>
            <th scope="col">{t('catalog.f.name')}</th><th scope="col">{t('catalog.f.kind')}</th><th scope="col">{t('catalog.reads')}</th>
            <th scope="col">{t('field.task')}</th><th scope="col">{t('catalog.f.type')}</th><th scope="col">{t('field.key')}</th>
            <th scope="col">{t('catalog.f.eventTime')}</th><th scope="col">{t('ops.state')}</th><th scope="col">{t('tasks.lastEvent')}</th>
            {mayEdit('source') && <th scope="col">{t('common.actions')}</th>}
          </tr></thead>
          <tbody>
            {sources.map((s) => (
              <tr key={s.name} data-testid="source-row" data-name={s.name} className={s.status === 'FAILED' ? 'bad-row' : ''}>
                <td>{s.name}{!s.enabled && <span className="badge warn"> {t('catalog.off')}</span>}</td><td>{s.kind}</td>
                <td>{s.kind === 'TABLE' ? `${s.database ?? ''} · ${s.table ?? ''}` : s.topic ?? ''}</td>
                <td>{s.task}</td><td>{s.type}</td><td>{s.key}</td><td>{s.eventTime}</td>
                <td>{status(s.status, s.reason)}</td><td className="nowrap">{fmtDate(s.lastEventAt, lang)}</td>
                {rowButtons('source', s.name, s)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="row"><h2 className="grow">{t('catalog.databases')}</h2>{addButton('database')}</div>
      {form('database')}
      <ErrorBanner error={databases.error} />
      <div className="table-wrap">
        <table className="table" data-testid="catalog-databases">
          <caption className="sr-only">{t('catalog.databases')}</caption>
          <thead><tr>
            <th scope="col">{t('catalog.f.name')}</th><th scope="col">{t('catalog.f.kind')}</th><th scope="col">{t('catalog.address')}</th>
            <th scope="col">{t('catalog.f.username')}</th><th scope="col">{t('catalog.f.password')}</th><th scope="col">{t('catalog.origin')}</th>
            <th scope="col">{t('ops.state')}</th>{mayEdit('database') && <th scope="col">{t('common.actions')}</th>}
          </tr></thead>
          <tbody>
            {(databases.data ?? []).map((d) => (
              <tr key={d.name} data-testid="database-row" data-name={d.name} className={d.status === 'FAILED' ? 'bad-row' : ''}>
                <td>{d.name}</td><td>{d.kind}</td><td className="mono">{`${d.host}:${d.port}/${d.database}`}</td><td>{d.username}</td>
                <td>{d.passwordEnv ? t('catalog.fromEnv', { env: d.passwordEnv }) : t(d.passwordSet ? 'catalog.passwordSet' : 'catalog.passwordNone')}</td>
                <td>{d.origin ?? ''}</td><td>{status(d.status, d.reason)}</td>
                {rowButtons('database', d.name, d)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t('catalog.changes')}</h2>
      <ErrorBanner error={changes.error} />
      <div className="table-wrap">
        <table className="table" data-testid="catalog-changes">
          <caption className="sr-only">{t('catalog.changes')}</caption>
          <thead><tr>
            <th scope="col">{t('catalog.when')}</th><th scope="col">{t('catalog.user')}</th><th scope="col">{t('catalog.what')}</th>
            <th scope="col">{t('catalog.action')}</th><th scope="col">{t('catalog.changedFields')}</th>
          </tr></thead>
          <tbody>
            {(changes.data ?? []).map((c) => (
              <Fragment key={c.id}>
                <tr data-testid="change-row">
                  <td className="nowrap"><time dateTime={c.at}>{fmtDate(c.at, lang)}</time></td><td>{c.user}</td>
                  <td>{what(c.kind)} {c.name}</td><td><span className="badge">{c.action}</span></td>
                  <td><button type="button" className="link" aria-expanded={openChange === c.id}
                    onClick={() => setOpenChange(openChange === c.id ? null : c.id)}>
                    {c.action === 'UPDATE' ? changedKeys(c.before, c.after).join(', ') || '—' : t('catalog.showEntry')}</button></td>
                </tr>
                {openChange === c.id && (
                  <tr><td colSpan={5} className="grid2">
                    <div><h3>{t('catalog.before')}</h3><pre className="payload">{c.before ? JSON.stringify(c.before, null, 2) : '—'}</pre></div>
                    <div><h3>{t('catalog.after')}</h3><pre className="payload">{c.after ? JSON.stringify(c.after, null, 2) : '—'}</pre></div>
                  </td></tr>
                )}
              </Fragment>
            ))}
            {changes.data && changes.data.length === 0 && <tr><td colSpan={5}>{t('catalog.noChanges')}</td></tr>}
          </tbody>
        </table>
      </div>

      {deleting && <DeleteDialog target={deleting} what={what(deleting.kind)} onConfirm={(drop) => remove(deleting, drop)} onCancel={() => setDeleting(null)} />}
    </div>
  );
}

/** Deleting asks first; a database may also have its replication slot dropped. */
function DeleteDialog({ target, what, onConfirm, onCancel }: {
  target: Deleting; what: string; onConfirm: (dropSlot: boolean) => Promise<void>; onCancel: () => void;
}) {
  const { t } = useI18n();
  const [drop, setDrop] = useState(false);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await onConfirm(drop);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={id + '-t'} data-testid="action-dialog"
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <form onSubmit={submit}>
        <h2 id={id + '-t'}>{t('catalog.delete')} {what} {target.name}</h2>
        <p data-testid="action-dialog-message">{t(('catalog.deleteConfirm.' + target.kind) as MessageKey, { name: target.name })}</p>
        {target.kind === 'database' && (
          <label className="check"><input type="checkbox" data-testid="drop-slot" checked={drop} onChange={(e) => setDrop(e.target.checked)} />
            {' '}{t('catalog.dropSlot')}</label>
        )}
        <div className="row end">
          <button type="button" className="secondary" onClick={onCancel} data-testid="confirm-cancel">{t('common.cancel')}</button>
          <button type="submit" data-testid="confirm-ok" disabled={busy} autoFocus>{t('catalog.delete')}</button>
        </div>
      </form>
    </div>
  );
}
