import { fireEvent, screen } from '@testing-library/react';
import { useState } from 'react';
import { TableGrid } from './TableGrid';
import { parseCsv, readXlsx, toCsv, writeXlsx } from './tables';
import { renderWith } from '../test/render';
import type { Marker } from './problems';

const CSV = 'RuleTable Fields,,\nNAME,CONDITION,ACTION\n"A payment, in its currency",currency,"FIELD_CURRENCY,P2"\n';

function Harness({ markers = [], onRows }: { markers?: Marker[]; onRows: (r: string[][]) => void }) {
  const [rows, setRows] = useState(parseCsv(CSV));
  return <TableGrid name="recon/trade/fields.drl.csv" rows={rows} markers={markers} onChange={(r) => { setRows(r); onRows(r); }} />;
}

describe('decision table grid', () => {
  it('shows the table as cells, edits a cell, adds a row, and writes CSV back', () => {
    let last: string[][] = [];
    renderWith(<Harness onRows={(r) => (last = r)} />);
    const cell = screen.getByLabelText('Cell A3') as HTMLInputElement;
    expect(cell.value).toBe('A payment, in its currency');
    fireEvent.change(screen.getByLabelText('Cell B3'), { target: { value: 'amount' } });
    fireEvent.click(screen.getByTestId('grid-add-row'));
    fireEvent.change(screen.getByLabelText('Cell A4'), { target: { value: 'New check' } });
    expect(last).toHaveLength(4);
    expect(toCsv(last)).toBe('RuleTable Fields,,\nNAME,CONDITION,ACTION\n"A payment, in its currency",amount,"FIELD_CURRENCY,P2"\nNew check,,\n');
  });

  it('points a compile error at its cell', () => {
    renderWith(<Harness onRows={() => {}} markers={[{ line: 3, column: 3, message: 'Unknown severity P9' }]} />);
    const errors = screen.getAllByTestId('cell-error');
    expect(errors).toHaveLength(1);
    expect(errors[0].getAttribute('data-line')).toBe('3');
    expect(errors[0].getAttribute('data-column')).toBe('3');
    expect(errors[0].querySelector('input')?.getAttribute('aria-label')).toBe('Cell C3');
    expect(errors[0].getAttribute('title')).toBe('Unknown severity P9');
    expect(screen.getByText('C3: Unknown severity P9')).toBeTruthy();
  });

  it('reads an uploaded CSV file into the grid', async () => {
    let last: string[][] = [];
    renderWith(<Harness onRows={(r) => (last = r)} />);
    const file = new File(['a,b\n"c ""quoted""",d\n'], 'upload.csv', { type: 'text/csv' });
    fireEvent.change(screen.getByTestId('grid-upload'), { target: { files: [file] } });
    await screen.findByDisplayValue('c "quoted"');
    expect(last).toEqual([['a', 'b'], ['c "quoted"', 'd']]);
  });

  it('round-trips a table through XLSX', async () => {
    const rows = [['RuleTable X', ''], ['NAME', 'CONDITION'], ['r1', '10']];
    expect(await readXlsx(await writeXlsx(rows))).toEqual(rows);
  });
});
