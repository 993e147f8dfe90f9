import { fireEvent, screen } from '@testing-library/react';
import { DiffView } from './DiffView';
import { diffLines, rulesOf } from './diff';
import { renderWith } from '../test/render';

const V1 = [
  { name: 'recon/trade/payments.drl', content: 'package recon.trade;\n\nrule "Paid once"\nwhen\n  Payment()\nthen\nend\n\nrule "Old rule"\nwhen\nthen\nend\n' },
  { name: 'recon/trade/types.drl', content: 'package recon.trade;\ndeclare Order end\n' },
  { name: 'recon/trade/gone.dsl', content: '[when]x=y\n' },
];
const V2 = [
  { name: 'recon/trade/payments.drl', content: 'package recon.trade;\n\nrule "Paid once"\nwhen\n  Payment( status == "SUCCESS" )\nthen\nend\n\nrule \'New rule\'\nwhen\nthen\nend\n' },
  { name: 'recon/trade/types.drl', content: 'package recon.trade;\ndeclare Order end\n' },
  { name: 'recon/trade/late.scenario.json', content: '{"steps":[]}\n' },
];

describe('release diff view', () => {
  it('lists rules added, removed and changed, and files added, removed and changed', () => {
    renderWith(<DiffView before={V1} after={V2} beforeLabel="1.0.0" afterLabel="1.1.0" />);
    const rules = screen.getAllByTestId('diff-rule').map((li) => [li.getAttribute('data-change'), li.textContent]);
    expect(rules.map((r) => r[0])).toEqual(['added', 'removed', 'changed']);
    expect(rules[0][1]).toContain('New rule');
    expect(rules[1][1]).toContain('Old rule');
    expect(rules[2][1]).toContain('Paid once');
    const files = screen.getAllByTestId('diff-file').map((li) => `${li.getAttribute('data-change')} ${li.textContent}`);
    expect(files).toHaveLength(3);
    expect(files.join('|')).not.toContain('types.drl');
    expect(files.find((f) => f.includes('gone.dsl'))).toMatch(/^removed/);
    expect(files.find((f) => f.includes('late.scenario.json'))).toMatch(/^added/);
  });

  it('shows the changed lines of a file with their line numbers', () => {
    renderWith(<DiffView before={V1} after={V2} beforeLabel="1.0.0" afterLabel="1.1.0" />);
    fireEvent.click(screen.getByText('recon/trade/late.scenario.json'));
    fireEvent.click(screen.getByText('recon/trade/payments.drl'));
    const added = screen.getAllByTestId('diff-line-add').map((d) => d.textContent);
    const removed = screen.getAllByTestId('diff-line-del').map((d) => d.textContent);
    expect(added[0]).toBe('5+  Payment( status == "SUCCESS" )');
    expect(removed[0]).toBe('5−  Payment()');
    expect(added).toContain("9+rule 'New rule'");
  });

  it('diffs lines by longest common subsequence', () => {
    expect(diffLines('a\nb\nc', 'a\nc\nd').map((l) => l.kind + l.text)).toEqual(['samea', 'delb', 'samec', 'addd']);
    expect([...rulesOf('rule A\nwhen\nthen\nend\nrule "B b" when\nthen\nend').keys()]).toEqual(['A', 'B b']);
  });
});
