import { comparisonProblems, comparisonTable, type Comparison } from './comparison';
import { translate } from '../i18n';
import type { MessageKey } from '../i18n/en';

const t = (k: MessageKey, v?: Record<string, string | number>) => translate('en', k, v);
const C: Comparison = {
  task: 'trade', table: 'Order and payment', left: 'Order', right: 'Payment', leftKey: 'orderId', rightKey: 'orderId', rightId: 'paymentId',
  windowSeconds: 30,
  checks: [
    { name: 'Same currency', left: 'currency', right: 'currency', kind: 'same', value: '', type: 'CMP_CURRENCY', severity: 'P2', reason: 'Currencies differ' },
    { name: 'Status maps', left: 'status', right: 'status', kind: 'equivalence', value: 'PAID=SUCCESS', type: 'CMP_STATUS', severity: 'P3', reason: 'Status, not mapped' },
  ],
};

describe('no-code comparison table', () => {
  it('writes one rule row per field check, with the join, the window and the comparison in their columns', () => {
    const rows = comparisonTable(C);
    expect(rows[0].slice(0, 2)).toEqual(['RuleSet', 'recon.trade']);
    expect(rows[7][2]).toBe('orderId == $key, $bid : paymentId, $right : $param, this after[-30s, 30s] $a');
    expect(rows[9]).toEqual(['Same currency', 'currency', 'currency', 'true', '', '', '', 'CMP_CURRENCY,P2,Currencies differ']);
    expect(rows[10]).toEqual(['Status maps', 'status', 'status', '', '', '', 'PAID=SUCCESS', 'CMP_STATUS,P3,Status; not mapped']);
    expect(new Set(rows.map((r) => r.length))).toEqual(new Set([8]));
  });

  it('says what is missing before it can be generated', () => {
    expect(comparisonProblems(C, t)).toEqual([]);
    const bad = { ...C, left: 'Order Item', checks: [{ ...C.checks[0], kind: 'absolute' as const, value: 'ten', type: 'lower' }] };
    expect(comparisonProblems(bad, t)).toEqual([
      'Left fact type "Order Item" is not a name: use letters, digits and _.',
      'Check 1: the tolerance "ten" is not a number.',
      'Check 1: the mismatch type "lower" must be upper case, e.g. FIELD_AMOUNT.',
    ]);
  });
});
