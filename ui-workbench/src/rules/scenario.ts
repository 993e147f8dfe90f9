/** A scenario file as the mock test reads it, and its rows as the scenario editor shows them. */
export interface ScenarioStep {
  at?: number | string;
  insert?: string; update?: string; delete?: string;
  fields?: Record<string, unknown>;
  expect?: string[];
}
export interface ScenarioDoc { name?: string; task?: string; start?: string; types?: unknown; steps: ScenarioStep[] }

export type Op = '' | 'insert' | 'update' | 'delete';
export interface Row { at: string; op: Op; type: string; fields: string; checks: boolean; expect: string }

export function toRows(doc: ScenarioDoc): Row[] {
  return (doc.steps ?? []).map((s) => {
    const op: Op = s.insert ? 'insert' : s.update ? 'update' : s.delete ? 'delete' : '';
    return {
      at: s.at === undefined ? '' : String(s.at),
      op,
      type: (op && (s[op] as string)) || '',
      fields: s.fields ? formatFields(s.fields) : '',
      checks: Array.isArray(s.expect),
      expect: (s.expect ?? []).join('; '),
    };
  });
}

export function fromRows(rows: Row[], base: ScenarioDoc): ScenarioDoc {
  return {
    ...base,
    steps: rows.map((r) => {
      const step: ScenarioStep = {};
      if (r.at.trim()) step.at = /^\d+(\.\d+)?$/.test(r.at.trim()) ? Number(r.at.trim()) : r.at.trim();
      if (r.op && r.type.trim()) {
        step[r.op] = r.type.trim();
        step.fields = parseFields(r.fields);
      }
      if (r.checks) step.expect = r.expect.split(/[;\n]/).map((x) => x.trim()).filter(Boolean);
      return step;
    }),
  };
}

/** "orderId=O-1, amount=100.00": a comma starts a new field only before "name=", so values may hold commas. */
export function parseFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/,\s*(?=[A-Za-z_]\w*\s*=)/).forEach((part) => {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  });
  return out;
}

export function formatFields(fields: Record<string, unknown>): string {
  return Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ');
}

export function parseScenario(text: string): ScenarioDoc | null {
  try {
    const doc = JSON.parse(text);
    return doc && typeof doc === 'object' && Array.isArray(doc.steps) ? doc : null;
  } catch {
    return null;
  }
}
