import type { RuleProblem } from '../types';

export interface Marker { line: number; column: number; message: string }

/** The problems of one file as editor markers (line and column 1-based; 0 means "the whole line/file"). */
export function markersFor(problems: RuleProblem[], file: string): Marker[] {
  return problems.filter((p) => p.file === file || (!p.file && false)).map((p) => ({
    line: p.line, column: p.column, message: p.kind === 'SANDBOX' ? `${p.message}` : p.message,
  }));
}

export type FileKind = 'drl' | 'dsl' | 'dslr' | 'csv' | 'xlsx' | 'scenario' | 'other';
export function kindOf(name: string): FileKind {
  const n = name.toLowerCase();
  if (n.endsWith('.scenario.json')) return 'scenario';
  if (n.endsWith('.drl')) return 'drl';
  if (n.endsWith('.dslr')) return 'dslr';
  if (n.endsWith('.dsl')) return 'dsl';
  if (n.endsWith('.csv')) return 'csv';
  if (n.endsWith('.xlsx')) return 'xlsx';
  return 'other';
}
