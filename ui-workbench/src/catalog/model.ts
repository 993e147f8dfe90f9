// The catalog API's shapes (briefs' contract: /api/databases, /api/sources, /api/tasks, /api/catalog/changes)
// and the forms' specs: which fields each entry has, how a form's text becomes the JSON the server takes.
import type { MessageKey } from '../i18n/en';

export interface Database {
  name: string; kind: 'POSTGRESQL' | 'MARIADB'; host: string; port: number; database: string; username: string;
  password?: string; passwordEnv: string | null; passwordSet?: boolean;
  origin?: string; status?: string; reason?: string | null;
}
export interface Source {
  name: string; kind: 'TABLE' | 'TOPIC' | 'CONNECT' | 'HTTP'; database?: string | null; table?: string | null; topic?: string | null;
  task: string; type: string; key: string; id: string; eventTime: string;
  fields?: Record<string, string>; derived?: Record<string, string>; filter?: string | null; enabled: boolean;
  origin?: string; status?: string; reason?: string | null; lastEventAt?: string | null;
}
export interface Task {
  task: string; enabled: boolean; partitions: number; allowedLateness: string; idleTimeout: string; replayHorizon: string;
  sampling: number; allowKeys: string[]; denyKeys: string[]; origin?: string; sources?: string[];
}
export interface CatalogChange {
  id: number; at: string; user: string; kind: 'source' | 'task' | 'database'; name: string; action: 'CREATE' | 'UPDATE' | 'DELETE';
  before: Record<string, unknown> | null; after: Record<string, unknown> | null;
}

export type Kind = 'database' | 'source' | 'task';
/** How a field is edited: maps as "name = value" lines, lists as one value a line. */
export type Input = 'text' | 'number' | 'select' | 'password' | 'checkbox' | 'map' | 'list';
export interface FieldSpec {
  name: string; label: MessageKey; input: Input; options?: string[]; required?: boolean; hint?: MessageKey;
  /** shown only when this holds for the form's values (a TABLE source has a table, a TOPIC source a topic) */
  when?: (v: Values) => boolean;
}
export type Values = Record<string, string | boolean>;

const isTable = (v: Values) => v.kind === 'TABLE';
export const SPECS: Record<Kind, { key: string; path: string; fields: FieldSpec[] }> = {
  database: {
    key: 'name', path: '/api/databases', fields: [
      { name: 'name', label: 'catalog.f.name', input: 'text', required: true },
      { name: 'kind', label: 'catalog.f.kind', input: 'select', options: ['POSTGRESQL', 'MARIADB'] },
      { name: 'host', label: 'catalog.f.host', input: 'text', required: true },
      { name: 'port', label: 'catalog.f.port', input: 'number', required: true },
      { name: 'database', label: 'catalog.f.database', input: 'text', required: true },
      { name: 'username', label: 'catalog.f.username', input: 'text', required: true },
      { name: 'password', label: 'catalog.f.password', input: 'password', hint: 'catalog.h.password' },
      { name: 'passwordEnv', label: 'catalog.f.passwordEnv', input: 'text', hint: 'catalog.h.passwordEnv' },
    ],
  },
  source: {
    key: 'name', path: '/api/sources', fields: [
      { name: 'name', label: 'catalog.f.name', input: 'text', required: true },
      { name: 'kind', label: 'catalog.f.kind', input: 'select', options: ['TABLE', 'TOPIC', 'CONNECT', 'HTTP'] },
      { name: 'database', label: 'catalog.f.database', input: 'select', when: isTable },
      { name: 'table', label: 'catalog.f.table', input: 'text', when: isTable, hint: 'catalog.h.table' },
      { name: 'topic', label: 'catalog.f.topic', input: 'text', when: (v) => v.kind === 'TOPIC' || v.kind === 'CONNECT' },
      { name: 'task', label: 'field.task', input: 'select', required: true },
      { name: 'type', label: 'catalog.f.type', input: 'text', required: true, hint: 'catalog.h.type' },
      { name: 'key', label: 'field.key', input: 'text', required: true },
      { name: 'id', label: 'catalog.f.id', input: 'text', required: true },
      { name: 'eventTime', label: 'catalog.f.eventTime', input: 'text', required: true },
      { name: 'fields', label: 'catalog.f.fields', input: 'map', hint: 'catalog.h.fields' },
      { name: 'derived', label: 'catalog.f.derived', input: 'map', hint: 'catalog.h.derived' },
      { name: 'filter', label: 'catalog.f.filter', input: 'text', hint: 'catalog.h.filter' },
      { name: 'enabled', label: 'catalog.f.enabled', input: 'checkbox' },
      { name: 'snapshot', label: 'catalog.f.snapshot', input: 'checkbox', when: isTable, hint: 'catalog.h.snapshot' },
    ],
  },
  task: {
    key: 'task', path: '/api/tasks', fields: [
      { name: 'task', label: 'field.task', input: 'text', required: true },
      { name: 'enabled', label: 'catalog.f.enabled', input: 'checkbox' },
      { name: 'partitions', label: 'catalog.f.partitions', input: 'number', required: true },
      { name: 'allowedLateness', label: 'catalog.f.allowedLateness', input: 'text', hint: 'catalog.h.duration' },
      { name: 'idleTimeout', label: 'catalog.f.idleTimeout', input: 'text', hint: 'catalog.h.duration' },
      { name: 'replayHorizon', label: 'catalog.f.replayHorizon', input: 'text', hint: 'catalog.h.duration' },
      { name: 'sampling', label: 'catalog.f.sampling', input: 'number', hint: 'catalog.h.sampling' },
      { name: 'allowKeys', label: 'catalog.f.allowKeys', input: 'list', hint: 'catalog.h.allowKeys' },
      { name: 'denyKeys', label: 'catalog.f.denyKeys', input: 'list', hint: 'catalog.h.denyKeys' },
    ],
  },
};

export const BLANK: Record<Kind, Values> = {
  database: { kind: 'POSTGRESQL', port: '5432' },
  source: { kind: 'TABLE', enabled: true },
  task: { enabled: true, partitions: '1', allowedLateness: '5s', idleTimeout: '2s', replayHorizon: '30m', sampling: '1.0' },
};

/** An entry as the form's text values. */
export function toValues(kind: Kind, entry: object): Values {
  const e = entry as Record<string, unknown>;
  const out: Values = {};
  for (const f of SPECS[kind].fields) {
    const v = e[f.name];
    if (v === undefined || v === null) continue;
    if (f.input === 'checkbox') out[f.name] = Boolean(v);
    else if (f.input === 'map') out[f.name] = Object.entries(v as Record<string, string>).map(([k, x]) => `${k} = ${x}`).join('\n');
    else if (f.input === 'list') out[f.name] = (v as string[]).join('\n');
    else out[f.name] = String(v);
  }
  return out;
}

/**
 * The form's values as the body of a PUT: only the fields that apply (a TOPIC source sends no table),
 * numbers as numbers, maps and lists parsed; an empty password is left out so that the stored one stays.
 */
export function toBody(kind: Kind, values: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of SPECS[kind].fields) {
    if (f.name === SPECS[kind].key || f.name === 'snapshot' || (f.when && !f.when(values))) continue;
    const v = values[f.name];
    if (f.input === 'checkbox') body[f.name] = Boolean(v);
    else if (f.input === 'number') body[f.name] = v === undefined || v === '' ? null : Number(v);
    else if (f.input === 'map') body[f.name] = parseMap(String(v ?? ''));
    else if (f.input === 'list') body[f.name] = String(v ?? '').split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
    else if (f.name === 'password') { if (v) body[f.name] = v; }
    else body[f.name] = v === undefined || v === '' ? null : String(v).trim();
  }
  return body;
}

function parseMap(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i <= 0) continue;
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/** Which form field a server's `field` names: "fields.amount" and "allowKeys[2]" belong to fields and allowKeys. */
export function fieldOf(kind: Kind, field: unknown): string | null {
  if (typeof field !== 'string' || !field) return null;
  const head = field.split(/[.[]/)[0];
  return SPECS[kind].fields.some((f) => f.name === head) ? head : null;
}

/** The top-level keys whose values differ between two versions of an entry, for the change history. */
export function changedKeys(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys].filter((k) => JSON.stringify((before ?? {})[k]) !== JSON.stringify((after ?? {})[k]));
}
