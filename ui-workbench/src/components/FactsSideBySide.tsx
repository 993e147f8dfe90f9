import { useI18n } from '../i18n';
import { fmtField } from '../format';
import type { Evidence } from '../types';

/** A value as the rules compare it: numbers by value (100.00 == 100), everything else as text. */
function norm(v: unknown): string {
  if (v === null || v === undefined) return '';
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : NaN;
  return isNaN(n) ? String(v) : String(n);
}

/** The fields two or more facts share and disagree on. */
export function differingFields(facts: Evidence[]): Set<string> {
  const out = new Set<string>();
  const objs = facts.map((f) => (typeof f.fields === 'object' && f.fields ? f.fields : {}));
  const names = new Set(objs.flatMap((o) => Object.keys(o)));
  for (const name of names) {
    const values = objs.filter((o) => name in o).map((o) => norm(o[name]));
    if (values.length >= 2 && new Set(values).size > 1) out.add(name);
  }
  return out;
}

/** The facts of a mismatch, one column per system, the fields that disagree highlighted. */
export function FactsSideBySide({ facts }: { facts: Evidence[] }) {
  const { t, lang } = useI18n();
  if (facts.length === 0) return <p className="muted">{t('detail.noFacts')}</p>;
  const objs = facts.map((f) => (typeof f.fields === 'object' && f.fields ? f.fields : { value: f.fields }));
  const diff = differingFields(facts);
  // The disagreeing fields first, then those the facts share, then each fact's own.
  const all = [...new Set(objs.flatMap((o) => Object.keys(o)))];
  const shared = (n: string) => objs.filter((o) => n in o).length;
  const names = [...all].sort((a, b) => Number(diff.has(b)) - Number(diff.has(a)) || shared(b) - shared(a));
  // event times arrive as epoch numbers and amounts without their currency: fmtField shows both for people
  const show = (o: Record<string, unknown>, name: string) => (name in o ? fmtField(name, o[name], o, lang) : '');
  return (
    <div className="table-wrap">
      <table className="table facts-table" data-testid="facts">
        <caption className="sr-only">{t('detail.facts')}</caption>
        <thead><tr><th scope="col">{t('detail.field')}</th>{facts.map((f, i) => <th scope="col" key={i}>{f.type}</th>)}</tr></thead>
        <tbody>
          {names.map((name) => (
            <tr key={name} className={diff.has(name) ? 'diff' : ''}>
              <th scope="row">{name}{diff.has(name) && <span className="sr-only"> ({t('detail.differs')})</span>}</th>
              {objs.map((o, i) => (
                <td key={i} data-testid={diff.has(name) && name in o ? 'field-diff' : undefined} data-field={name}>{show(o, name)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
