import { useT } from '../i18n';
import type { RuleProblem } from '../types';

interface Node { name: string; path: string; children: Map<string, Node>; file: boolean }

function tree(paths: string[]): Node {
  const root: Node = { name: '', path: '', children: new Map(), file: false };
  for (const p of [...paths].sort()) {
    let n = root;
    const parts = p.split('/');
    parts.forEach((part, i) => {
      const path = parts.slice(0, i + 1).join('/');
      if (!n.children.has(part)) n.children.set(part, { name: part, path, children: new Map(), file: i === parts.length - 1 });
      n = n.children.get(part)!;
    });
  }
  return root;
}

/** The draft's files by folder; a file with problems says how many. */
export function FileTree({ files, selected, onSelect, problems }: {
  files: string[]; selected: string | null; onSelect: (name: string) => void; problems: RuleProblem[];
}) {
  const t = useT();
  const render = (n: Node): React.ReactNode => (
    <ul>
      {[...n.children.values()].map((c) => (
        <li key={c.path}>
          {c.file ? (
            <button type="button" className={'file' + (c.path === selected ? ' selected' : '')} aria-current={c.path === selected ? 'true' : undefined}
              data-testid="file-item" data-name={c.path} onClick={() => onSelect(c.path)}>
              {c.name}
              {problems.some((p) => p.file === c.path) && (
                <span className="badge bad">{t('rules.problemsCount', { n: problems.filter((p) => p.file === c.path).length })}</span>
              )}
            </button>
          ) : (
            <>
              <span className="folder">{c.name}/</span>
              {render(c)}
            </>
          )}
        </li>
      ))}
    </ul>
  );
  return <nav className="file-tree" aria-label={t('rules.files')}>{render(tree(files))}</nav>;
}
