import { fireEvent, screen } from '@testing-library/react';
import { useState } from 'react';
import { ScenarioEditor } from './ScenarioEditor';
import { fromRows, parseFields, toRows, type ScenarioDoc } from './scenario';
import { renderWith } from '../test/render';
import type { TestResponse } from '../types';

const DOC: ScenarioDoc = {
  name: 'A payment 45 s after the order heals the missing payment',
  steps: [
    { at: 0, insert: 'Order', fields: { orderId: 'O-1', amount: '100.00', currency: 'EUR' } },
    { at: 30, expect: ['MISSING O-1'] },
    { at: 45, insert: 'Payment', fields: { paymentId: 'P-1', orderId: 'O-1' } },
    { expect: [] },
  ],
};

function Harness({ result, onRun, onDoc }: { result: TestResponse | null; onRun: () => void; onDoc: (d: ScenarioDoc) => void }) {
  const [doc, setDoc] = useState(DOC);
  return <ScenarioEditor doc={doc} canRun running={false} result={result} onRun={onRun} onChange={(d) => { setDoc(d); onDoc(d); }} />;
}

describe('scenario editor', () => {
  it('keeps the file format exact when read into rows and written back', () => {
    expect(fromRows(toRows(DOC), DOC)).toEqual(DOC);
    expect(parseFields('reason=late, very late, orderId=O-1')).toEqual({ reason: 'late, very late', orderId: 'O-1' });
  });

  it('edits a step and adds one, and the scenario follows', () => {
    let doc = DOC;
    renderWith(<Harness result={null} onRun={() => {}} onDoc={(d) => (doc = d)} />);
    expect(screen.getAllByTestId('scenario-step')).toHaveLength(4);
    fireEvent.change(screen.getByLabelText('Mismatches expected open after step 2'), { target: { value: 'MISSING O-1; STATUS O-1' } });
    expect(doc.steps[1].expect).toEqual(['MISSING O-1', 'STATUS O-1']);
    fireEvent.click(screen.getByTestId('scenario-add-step'));
    fireEvent.change(screen.getByLabelText('Time of step 5'), { target: { value: '60' } });
    fireEvent.change(screen.getByLabelText('What step 5 does'), { target: { value: 'delete' } });
    fireEvent.change(screen.getByLabelText('Fact type of step 5'), { target: { value: 'Order' } });
    fireEvent.change(screen.getByLabelText('Fields of step 5'), { target: { value: 'orderId=O-1' } });
    expect(doc.steps[4]).toEqual({ at: 60, delete: 'Order', fields: { orderId: 'O-1' }, expect: [] });
  });

  it('runs and shows per step what fired, what was detected and healed, and which step failed', () => {
    let ran = 0;
    const result: TestResponse = {
      ok: false, errors: [],
      results: [{
        scenario: DOC.name!, passed: false, open: [], fired: {}, failures: ['Step 4: expected no open mismatch, found MISSING O-1.'],
        steps: [
          { step: 1, at: '2026-01-01T00:00:00Z', did: 'insert Order', fired: {}, detected: [], healed: [], open: [], failure: null },
          { step: 2, at: '2026-01-01T00:00:30Z', did: 'clock', fired: { 'Payment is missing': 1 }, detected: [{ type: 'MISSING', key: 'O-1', severity: 'P2', reason: 'r', rule: 'Payment is missing' }], healed: [], open: ['MISSING O-1'], failure: null },
          { step: 3, at: '2026-01-01T00:00:45Z', did: 'insert Payment', fired: {}, detected: [], healed: [], open: ['MISSING O-1'], failure: null },
          { step: 4, at: '2026-01-01T00:00:45Z', did: 'check', fired: {}, detected: [], healed: [], open: ['MISSING O-1'], failure: 'expected no open mismatch, found MISSING O-1' },
        ],
      }],
    };
    renderWith(<Harness result={result} onRun={() => ran++} onDoc={() => {}} />);
    fireEvent.click(screen.getByTestId('scenario-run'));
    expect(ran).toBe(1);
    const outcomes = screen.getAllByTestId('step-outcome').map((c) => c.textContent);
    expect(outcomes[1]).toContain('fired: Payment is missing ×1');
    expect(outcomes[1]).toContain('detected: MISSING O-1');
    expect(outcomes[3]).toContain('fail');
    expect(outcomes[3]).toContain('expected no open mismatch, found MISSING O-1');
    expect(screen.getByTestId('scenario-result').getAttribute('data-passed')).toBe('false');
  });
});
