import { useI18n } from '../i18n';
import type { RuleProblem } from '../types';

/**
 * Rule problems the server returned outside the editor (a shadow run, an activation): where each is (file:line),
 * the rule at fault and the cause in the server's words.
 */
export function RuleProblemList({ problems, title }: { problems: RuleProblem[]; title?: string }) {
  const { t } = useI18n();
  if (problems.length === 0) return null;
  return (
    <div className="card problems-panel" data-testid="rule-problems" role="alert">
      <h2>{title ?? t('rules.problems', { n: problems.length })}</h2>
      <ul className="problems">
        {problems.map((p, i) => (
          <li key={i} data-testid="rule-problem" data-kind={p.kind} data-file={p.file ?? ''} data-line={p.line} data-rule={p.rule ?? ''}>
            <span className="mono">{p.file ?? '—'}{p.line ? `:${p.line}` : ''}</span>{' '}
            <span className={'badge ' + (p.kind === 'SANDBOX' ? 'warn' : 'bad')}>{p.kind}</span>{' '}
            {p.rule && <strong>{t('problems.rule', { rule: p.rule })}: </strong>}{p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
