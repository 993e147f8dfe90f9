import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { en } from './en';
import { zh } from './zh';
import { translate } from '.';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(f) && !/\.test\./.test(f) ? [p] : [];
  });
}

describe('message catalog', () => {
  it('has every key in both English and Simplified Chinese, none empty', () => {
    const enKeys = Object.keys(en).sort();
    const zhKeys = Object.keys(zh).sort();
    expect(zhKeys).toEqual(enKeys);
    for (const k of enKeys) {
      expect(en[k as keyof typeof en].trim(), k).not.toBe('');
      expect(zh[k as keyof typeof zh].trim(), k).not.toBe('');
    }
  });

  it('uses the same placeholders in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(en) as (keyof typeof en)[]) expect(vars(zh[k]), k).toEqual(vars(en[k]));
  });

  it('defines every key the source code asks for', () => {
    const used = new Set<string>();
    for (const file of sources(join(__dirname, '..'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\('([a-zA-Z0-9_.]+)'/g)) used.add(m[1]);
    }
    const missing = [...used].filter((k) => !(k in en));
    expect(missing).toEqual([]);
    expect(used.size).toBeGreaterThan(100);
  });

  it('fills placeholders', () => {
    expect(translate('en', 'queue.total', { n: 3 })).toBe('3 mismatches match');
    expect(translate('zh-CN', 'queue.total', { n: 3 })).toBe('共 3 条差异符合条件');
  });
});
