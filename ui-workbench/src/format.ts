import type { Lang } from './i18n';

/** Dates in the browser's time zone, in the chosen language's conventions. */
export function fmtDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' }).format(d);
}

export function fmtTime(iso: string, lang: Lang, withDate = false): string {
  const d = new Date(iso);
  return new Intl.DateTimeFormat(lang, withDate ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }
    : { hour: '2-digit', minute: '2-digit' }).format(d);
}

export function fmtAmount(amount: unknown, currency: unknown, lang: Lang): string {
  const n = typeof amount === 'number' ? amount : Number(amount);
  if (typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) && !isNaN(n)) {
    try {
      return new Intl.NumberFormat(lang, { style: 'currency', currency }).format(n);
    } catch {
      /* unknown currency code: show it as written */
    }
  }
  return currency ? `${String(amount)} ${String(currency)}` : String(amount);
}

export function fmtNumber(n: number | null | undefined, lang: Lang, digits = 0): string {
  if (n === null || n === undefined || isNaN(n)) return '—';
  return new Intl.NumberFormat(lang, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}

export function fmtPercent(n: number | null | undefined, lang: Lang): string {
  if (n === null || n === undefined || isNaN(n)) return '—';
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 2 }).format(n);
}

/** Seconds as "1 h 5 m" style; the units come from the catalog-free SI abbreviations. */
export function fmtDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || isNaN(seconds)) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

/** An ISO-8601 duration from the service (PT10M, PT1H30M, PT45S) in short words. */
export function fmtIsoDuration(iso: string): string {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(iso ?? '');
  if (!m) return iso;
  return fmtDuration((Number(m[1] ?? 0) * 3600) + (Number(m[2] ?? 0) * 60) + Number(m[3] ?? 0));
}
