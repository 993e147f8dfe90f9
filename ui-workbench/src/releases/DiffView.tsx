import { useState } from 'react';
import { useT } from '../i18n';
import type { RuleFile } from '../types';
import { compareFiles, compareRules, diffLines } from './diff';

const isBinary = (name: string) => /\.xlsx$/i.test(name);

/** Two versions compared rule by rule, then file by file with a line diff of each changed file. */
export function DiffView({ before, after, beforeLabel, afterLabel }: { before: RuleFile[]; after: RuleFile[]; beforeLabel: string; afterLabel: string }) {
  const t = useT();
  const files = compareFiles(before, after);
  const rules = compareRules(before, after);
  const changed = files.filter((f) => f.change !== 'same');
  const [open, setOpen] = useState<string | null>(changed[0]?.name ?? null);
  return (
    <div className="diff-view" data-testid="diff-view">
      <p>{t('diff.between', { before: beforeLabel, after: afterLabel })}</p>
      <h3>{t('diff.rules')}</h3>
      {rules.length === 0 ? <p className="muted" data-testid="diff-no-rules">{t('diff.noRuleChanges')}</p> : (
        <ul className="changes" data-testid="diff-rules">
          {rules.map((r) => (
            <li key={r.name} data-testid="diff-rule" data-change={r.change}>
              <span className={'badge change-' + r.change}>{t(('diff.' + r.change) as 'diff.added')}</span> {r.name} <span className="muted">({r.file})</span>
            </li>
          ))}
        </ul>
      )}
      <h3>{t('diff.files')}</h3>
      {changed.length === 0 && <p className="muted">{t('diff.noFileChanges')}</p>}
      <ul className="changes" data-testid="diff-files">
        {changed.map((f) => (
          <li key={f.name} data-testid="diff-file" data-change={f.change}>
            <button type="button" className="link" aria-expanded={open === f.name} onClick={() => setOpen(open === f.name ? null : f.name)}>
              <span className={'badge change-' + f.change}>{t(('diff.' + f.change) as 'diff.added')}</span> {f.name}
            </button>
            {open === f.name && (isBinary(f.name) ? <p className="muted">{t('diff.binary')}</p> : (
              <pre className="line-diff" aria-label={t('diff.linesOf', { file: f.name })}>
                {diffLines(f.before ?? '', f.after ?? '').map((l, i) => (
                  <div key={i} className={'ld-' + l.kind} data-testid={l.kind === 'same' ? undefined : 'diff-line-' + l.kind}>
                    <span className="ln">{l.left ?? ''}</span><span className="ln">{l.right ?? ''}</span>
                    <span className="sign">{l.kind === 'add' ? '+' : l.kind === 'del' ? '−' : ' '}</span>{l.text}
                  </div>
                ))}
              </pre>
            ))}
          </li>
        ))}
      </ul>
    </div>
  );
}
