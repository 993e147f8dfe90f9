import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, api, query } from '../api';
import { useI18n } from '../i18n';
import { BLANK, SPECS, fieldOf, toBody, toValues, type Kind, type Values } from './model';

/**
 * Adds or changes one catalog entry. A refusal's sentence is shown next to the field it names
 * (the server's `field`), or above the form when it names none, and the field is marked invalid.
 */
export function CatalogForm({ kind, entry, choices, onSaved, onCancel }: {
  kind: Kind;
  entry: object | null;                            // null: a new entry
  choices: Record<string, string[]>;               // options of select fields filled from the catalog (databases, tasks)
  onSaved: (saved: unknown) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const spec = SPECS[kind];
  const [values, setValues] = useState<Values>(() => (entry ? toValues(kind, entry) : { ...BLANK[kind] }));
  const [error, setError] = useState<{ field: string | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const first = useRef<HTMLFormElement>(null);
  useEffect(() => first.current?.querySelector<HTMLElement>('input:not([disabled]), select')?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = String(values[spec.key] ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      const snapshot = kind === 'source' && values.kind === 'TABLE' && values.snapshot ? query({ snapshot: 'true' }) : '';
      const saved = await api.put(`${spec.path}/${encodeURIComponent(name)}${snapshot}`, toBody(kind, values));
      onSaved(saved);
    } catch (err) {
      const body = err instanceof ApiError ? (err.body as { field?: unknown } | undefined) : undefined;
      setError({ field: fieldOf(kind, body?.field), message: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const set = (name: string, v: string | boolean) => setValues((old) => ({ ...old, [name]: v }));
  return (
    <form ref={first} className="card catalog-form" onSubmit={submit} data-testid="catalog-form" data-kind={kind}
      aria-labelledby={id + '-t'} noValidate>
      <h3 id={id + '-t'}>{t(entry ? 'catalog.edit' : 'catalog.add', { what: t(('catalog.kind.' + kind) as 'catalog.kind.task') })}
        {entry ? ' ' + String(values[spec.key] ?? '') : ''}</h3>
      {error && !error.field && <p className="banner banner-error" role="alert" data-testid="form-error">{error.message}</p>}
      <div className="form-grid">
        {spec.fields.filter((f) => !f.when || f.when(values)).map((f) => {
          const fid = `${id}-${f.name}`;
          const wrong = error?.field === f.name;
          const described = [f.hint ? fid + '-h' : '', wrong ? fid + '-e' : ''].filter(Boolean).join(' ') || undefined;
          const common = {
            id: fid, name: f.name, 'aria-invalid': wrong || undefined, 'aria-describedby': described,
            'data-testid': 'field-' + f.name, required: f.required,
          };
          const v = values[f.name];
          const text = typeof v === 'string' ? v : '';
          let control;
          if (f.input === 'checkbox') {
            control = <input type="checkbox" {...common} checked={Boolean(v)} onChange={(e) => set(f.name, e.target.checked)} />;
          } else if (f.input === 'select') {
            const options = f.options ?? choices[f.name] ?? [];
            control = (
              <select {...common} value={text} onChange={(e) => set(f.name, e.target.value)}>
                {!f.options && <option value="">—</option>}
                {[...new Set([...options, ...(text && !options.includes(text) ? [text] : [])])].map((o) => <option key={o} value={o}>{o}</option>)}
              </select>
            );
          } else if (f.input === 'map' || f.input === 'list') {
            control = <textarea {...common} rows={3} value={text} onChange={(e) => set(f.name, e.target.value)} />;
          } else {
            control = (
              <input {...common} type={f.input === 'password' ? 'password' : f.input === 'number' ? 'number' : 'text'}
                step={f.name === 'sampling' ? 'any' : undefined} autoComplete={f.input === 'password' ? 'new-password' : 'off'}
                disabled={f.name === spec.key && !!entry} value={text} onChange={(e) => set(f.name, e.target.value)} />
            );
          }
          return (
            <div key={f.name} className={'form-field' + (wrong ? ' invalid' : '') + (f.input === 'checkbox' ? ' check' : '')}>
              <label htmlFor={fid}>{t(f.label)}{f.required ? ' *' : ''}</label>
              {control}
              {f.hint && <span id={fid + '-h'} className="small muted">{t(f.hint)}</span>}
              {wrong && <span id={fid + '-e'} className="field-error" role="alert" data-testid="field-error" data-field={f.name}>{error!.message}</span>}
            </div>
          );
        })}
      </div>
      <div className="row end">
        <button type="button" className="secondary" onClick={onCancel} data-testid="catalog-cancel">{t('common.cancel')}</button>
        <button type="submit" disabled={busy} data-testid="catalog-save">{t('catalog.save')}</button>
      </div>
    </form>
  );
}
