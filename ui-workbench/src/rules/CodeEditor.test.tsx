import { act, render, waitFor } from '@testing-library/react';
import CodeEditor from './CodeEditor';

const DRL = [
  'package recon.trade;',
  '',
  'rule "An order is paid"',
  'when',
  '    $o : Order( amount > 0 ',
  'then',
  '    System.exit(1);',
  'end',
].join('\n');

/** The 1-based line of the editor line that holds an element. */
function lineOf(el: Element): number {
  const line = el.closest('.cm-line')!;
  return [...line.parentElement!.querySelectorAll('.cm-line')].indexOf(line) + 1;
}

describe('rule editor error markers', () => {
  it('marks each problem at its line and column, and moves the marks when the problems change', async () => {
    const { container, rerender } = render(
      <CodeEditor value={DRL} onChange={() => {}} label="payments.drl"
        markers={[{ line: 5, column: 10, message: "mismatched input ')' expecting ..." }, { line: 7, column: 5, message: 'System.exit is not allowed' }]} />,
    );
    await waitFor(() => expect(container.querySelectorAll('.cm-lintRange-error')).toHaveLength(2));
    const marks = [...container.querySelectorAll('.cm-lintRange-error')];
    expect(marks.map(lineOf)).toEqual([5, 7]);
    expect(marks[0].textContent).toBe('Order');
    expect(marks[1].textContent).toBe('System.exit');

    await act(async () => rerender(<CodeEditor value={DRL} onChange={() => {}} label="payments.drl" markers={[]} />));
    await waitFor(() => expect(container.querySelectorAll('.cm-lintRange-error')).toHaveLength(0));
  });

  it('marks the whole line when the compiler gives no column, and labels the editor for screen readers', async () => {
    const { container } = render(<CodeEditor value={DRL} onChange={() => {}} label="Contents of payments.drl"
      markers={[{ line: 3, column: 0, message: 'rule compilation error' }]} />);
    await waitFor(() => expect(container.querySelector('.cm-lintRange-error')?.textContent).toBe('rule "An order is paid"'));
    expect(container.querySelector('.cm-content')?.getAttribute('aria-label')).toBe('Contents of payments.drl');
  });

  it('reports edits', async () => {
    const seen: string[] = [];
    const { container } = render(<CodeEditor value="rule" onChange={(v) => seen.push(v)} label="x" markers={[]} />);
    const { EditorView } = await import('@codemirror/view');
    const view = EditorView.findFromDOM(container.querySelector('.cm-editor') as HTMLElement)!;
    act(() => view.dispatch({ changes: { from: 4, insert: ' "x"' } }));
    expect(seen).toEqual(['rule "x"']);
  });
});
