import type { RuleFile } from '../types';

export type Line = { kind: 'same' | 'add' | 'del'; text: string; left?: number; right?: number };

/** A line diff by longest common subsequence; rule files are small enough for the quadratic table. */
export function diffLines(a: string, b: string): Line[] {
  const x = a.split('\n'), y = b.split('\n');
  const n = x.length, m = y.length;
  if (n * m > 4_000_000) {
    return [...x.map((text, i) => ({ kind: 'del' as const, text, left: i + 1 })), ...y.map((text, j) => ({ kind: 'add' as const, text, right: j + 1 }))];
  }
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) {
    lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out: Line[] = [];
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) { out.push({ kind: 'same', text: x[i], left: i + 1, right: j + 1 }); i++; j++; }
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) { out.push({ kind: 'del', text: x[i], left: i + 1 }); i++; }
    else { out.push({ kind: 'add', text: y[j], right: j + 1 }); j++; }
  }
  while (i < n) { out.push({ kind: 'del', text: x[i], left: i + 1 }); i++; }
  while (j < m) { out.push({ kind: 'add', text: y[j], right: j + 1 }); j++; }
  return out;
}

/** The rules of a DRL text by name, each with its whole text (from `rule` to its `end`). */
export function rulesOf(drl: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /^\s*rule\s+("(?:[^"\\]|\\.)*"|'[^']*'|\S+)[\s\S]*?^\s*end\b/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(drl))) out.set(m[1].replace(/^["']|["']$/g, ''), m[0].trim());
  return out;
}

export interface FileChange { name: string; change: 'added' | 'removed' | 'changed' | 'same'; before?: string; after?: string }
export interface RuleChange { name: string; file: string; change: 'added' | 'removed' | 'changed' }

export function compareFiles(before: RuleFile[], after: RuleFile[]): FileChange[] {
  const a = new Map(before.map((f) => [f.name, f.content]));
  const b = new Map(after.map((f) => [f.name, f.content]));
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  return names.map((name) => {
    const x = a.get(name), y = b.get(name);
    const change = x === undefined ? 'added' : y === undefined ? 'removed' : x === y ? 'same' : 'changed';
    return { name, change, before: x, after: y };
  });
}

export function compareRules(before: RuleFile[], after: RuleFile[]): RuleChange[] {
  const collect = (files: RuleFile[]) => {
    const m = new Map<string, { file: string; text: string }>();
    files.filter((f) => /\.(drl|dslr)$/i.test(f.name)).forEach((f) => rulesOf(f.content).forEach((text, name) => m.set(name, { file: f.name, text })));
    return m;
  };
  const a = collect(before), b = collect(after);
  const out: RuleChange[] = [];
  for (const [name, r] of a) {
    const other = b.get(name);
    if (!other) out.push({ name, file: r.file, change: 'removed' });
    else if (other.text !== r.text) out.push({ name, file: other.file, change: 'changed' });
  }
  for (const [name, r] of b) if (!a.has(name)) out.push({ name, file: r.file, change: 'added' });
  return out.sort((p, q) => p.name.localeCompare(q.name));
}
