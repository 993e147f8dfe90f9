import { useT } from '../i18n';
import { columnName, parseCsv, readXlsx, square, toCsv, writeXlsx } from './tables';
import type { Marker } from './problems';

/** A chosen file's bytes or text; FileReader works in every browser (and in jsdom, which lacks File.text). */
function readFile(file: File, as: 'text' | 'buffer'): Promise<string | ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string | ArrayBuffer);
    reader.onerror = () => reject(reader.error);
    if (as === 'text') reader.readAsText(file);
    else reader.readAsArrayBuffer(file);
  });
}

/**
 * A decision table as an editable grid: one input per cell, rows and columns added or removed,
 * upload of CSV or XLSX, download in the file's own format. A compile error points at its cell
 * (line = row, column = column, both 1-based, as the service reports them).
 */
export function TableGrid({ name, rows, onChange, markers, readOnly = false }: {
  name: string; rows: string[][]; onChange: (rows: string[][]) => void; markers: Marker[]; readOnly?: boolean;
}) {
  const t = useT();
  const width = Math.max(1, ...rows.map((r) => r.length));
  const errorAt = (r: number, c: number) => markers.find((m) => m.line === r + 1 && (m.column === c + 1 || (!m.column && c === 0)));
  const rowErrors = markers.filter((m) => m.line > 0);
  const headerErrors = markers.filter((m) => !m.line);

  const set = (r: number, c: number, v: string) => onChange(rows.map((row, i) => (i === r ? row.map((x, j) => (j === c ? v : x)) : row)));
  const addRow = (at = rows.length) => onChange([...rows.slice(0, at), Array(width).fill(''), ...rows.slice(at)]);
  const removeRow = (at: number) => onChange(rows.filter((_, i) => i !== at));
  const addColumn = () => onChange(rows.map((r) => [...r, '']));

  const upload = async (file: File) => {
    const next = /\.xlsx$/i.test(file.name) ? await readXlsx(await readFile(file, 'buffer') as ArrayBuffer) : parseCsv(await readFile(file, 'text') as string);
    onChange(square(next));
  };
  const download = async () => {
    const xlsx = /\.xlsx$/i.test(name);
    const blob = xlsx
      ? new Blob([Uint8Array.from(atob(await writeXlsx(rows)), (c) => c.charCodeAt(0))], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
      : new Blob([toCsv(rows)], { type: 'text/csv' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name.split('/').pop() ?? name;
    a.click();
    URL.revokeObjectURL(a.href);
  };

  return (
    <div className="grid-editor" data-testid="table-grid">
      <div className="toolbar">
        {!readOnly && (
          <>
            <button type="button" className="secondary" data-testid="grid-add-row" onClick={() => addRow()}>{t('grid.addRow')}</button>
            <button type="button" className="secondary" data-testid="grid-add-column" onClick={addColumn}>{t('grid.addColumn')}</button>
            <label className="button secondary" htmlFor={'upload-' + name}>{t('grid.upload')}</label>
            <input id={'upload-' + name} type="file" className="sr-only" accept=".csv,.xlsx,text/csv" data-testid="grid-upload"
              onChange={(e) => { const f = e.target.files?.[0]; if (f) void upload(f); e.target.value = ''; }} />
          </>
        )}
        <button type="button" className="secondary" data-testid="grid-download" onClick={() => void download()}>{t('grid.download')}</button>
      </div>
      {headerErrors.map((m, i) => <p key={i} className="problem" data-testid="cell-error" data-line="0">{m.message}</p>)}
      <div className="table-wrap grid-scroll">
        <table className="table grid">
          <caption className="sr-only">{t('grid.caption', { name })}</caption>
          <thead>
            <tr><th scope="col"><span className="sr-only">{t('grid.row')}</span></th>
              {Array.from({ length: width }, (_, c) => <th scope="col" key={c}>{columnName(c + 1)}</th>)}
              <th scope="col"><span className="sr-only">{t('common.actions')}</span></th></tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              <tr key={r}>
                <th scope="row">{r + 1}</th>
                {row.map((cell, c) => {
                  const err = errorAt(r, c);
                  return (
                    <td key={c} className={err ? 'cell-error' : undefined} data-testid={err ? 'cell-error' : undefined}
                      data-line={err ? r + 1 : undefined} data-column={err ? c + 1 : undefined} title={err?.message}>
                      <input value={cell} aria-label={t('grid.cell', { cell: columnName(c + 1) + (r + 1) })}
                        aria-invalid={err ? true : undefined} data-cell={columnName(c + 1) + (r + 1)}
                        readOnly={readOnly} onChange={(e) => set(r, c, e.target.value)} />
                    </td>
                  );
                })}
                <td className="nowrap">{!readOnly && (<>
                  <button type="button" className="link" aria-label={t('grid.insertBelow', { row: r + 1 })} onClick={() => addRow(r + 1)}>+</button>
                  <button type="button" className="link" aria-label={t('grid.removeRow', { row: r + 1 })} onClick={() => removeRow(r)}>−</button>
                </>)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rowErrors.length > 0 && (
        <ul className="problems">{rowErrors.map((m, i) => <li key={i}>{columnName(m.column || 1)}{m.line}: {m.message}</li>)}</ul>
      )}
    </div>
  );
}
