/** CSV as the decision-table compiler reads it (RFC 4180: quotes, doubled quotes, newlines in quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { cell += '"'; i++; } else quoted = false;
      } else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return square(rows);
}

export function toCsv(rows: string[][]): string {
  return rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? '"' + c.replace(/"/g, '""') + '"' : c)).join(',')).join('\n') + '\n';
}

/** Every row as wide as the widest, so the grid is a rectangle. */
export function square(rows: string[][]): string[][] {
  const width = Math.max(1, ...rows.map((r) => r.length));
  return rows.map((r) => [...r, ...Array(width - r.length).fill('')]);
}

/** Spreadsheet column name of a 1-based column: 1 -> A, 27 -> AA. */
export function columnName(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

// SheetJS is loaded only when an XLSX file is opened, uploaded or downloaded.
export async function readXlsx(data: ArrayBuffer | string): Promise<string[][]> {
  const XLSX = await import('xlsx');
  const wb = typeof data === 'string' ? XLSX.read(data, { type: 'base64' }) : XLSX.read(new Uint8Array(data), { type: 'array' });
  const sheet = wb.Sheets[wb.SheetNames[0]];
  const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: false, defval: '', blankrows: true });
  return square(rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c)))));
}

export async function writeXlsx(rows: string[][]): Promise<string> {
  const XLSX = await import('xlsx');
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Tables');
  return XLSX.write(wb, { type: 'base64', bookType: 'xlsx' }) as string;
}
