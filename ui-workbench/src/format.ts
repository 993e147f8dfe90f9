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

/** Whether a field's name says it holds a point in time (createdAt, eventTime, paid_at, ts ...). */
export function isTimeField(name: string): boolean {
  return /(At|Time|Timestamp|Date)$/.test(name) || /(^|_)(at|time|ts|timestamp|date)$/i.test(name);
}

/**
 * An epoch number as an instant, its unit told by its size: seconds, milliseconds (the facts' event
 * times), microseconds (Debezium's timestamp columns) or nanoseconds. Null for a number no unit fits.
 */
export function epochToIso(n: number): string | null {
  if (!isFinite(n) || n <= 0) return null;
  const ms = n < 1e11 ? n * 1000 : n < 1e14 ? n : n < 1e17 ? n / 1000 : n / 1e6;
  if (ms < 1e11) return null; // before 1973: not a time this service records
  return new Date(ms).toISOString();
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A fact's field as a person reads it: times in the user's time zone (epoch numbers in time fields,
 * ISO instants anywhere), amounts with the record's currency, objects as JSON, the rest as written.
 */
export function fmtField(name: string, value: unknown, record: Record<string, unknown>, lang: Lang): string {
  if (value === null || value === undefined) return '';
  if (/(amount|price|fee)$/i.test(name) && 'currency' in record && (typeof value === 'number' || typeof value === 'string')) {
    return fmtAmount(value, record.currency, lang);
  }
  if (isTimeField(name) && (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value)))) {
    const iso = epochToIso(Number(value));
    if (iso) return fmtDate(iso, lang);
  }
  if (typeof value === 'string' && ISO_INSTANT.test(value)) return fmtDate(value, lang);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
