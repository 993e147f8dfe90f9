import type { Bucket } from '../types';
import { fmtPercent, fmtTime } from '../format';
import type { Lang } from '../i18n';

/**
 * The mismatch rate per bucket (mismatches opened / facts checked) as an inline SVG line, with a
 * table alternative for screen readers. Inline SVG keeps a chart library out of the first load.
 */
export function TrendChart({ buckets, lang, title, withDate }: { buckets: Bucket[]; lang: Lang; title: string; withDate: boolean }) {
  const W = 560, H = 160, L = 48, B = 22, T = 8;
  const points = buckets.map((b) => ({ t: b.start, rate: b.checked > 0 ? b.mismatched / b.checked : 0 }));
  const max = Math.max(0.0001, ...points.map((p) => p.rate));
  const x = (i: number) => L + (points.length <= 1 ? 0 : (i * (W - L - 8)) / (points.length - 1));
  const y = (r: number) => T + (H - T - B) * (1 - r / max);
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.rate).toFixed(1)}`).join(' ');
  const ticks = points.length > 1 ? [0, Math.floor((points.length - 1) / 2), points.length - 1] : [0];
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} width="100%" preserveAspectRatio="xMidYMid meet">
        <line x1={L} y1={H - B} x2={W - 4} y2={H - B} stroke="#6b7280" />
        <line x1={L} y1={T} x2={L} y2={H - B} stroke="#6b7280" />
        <text x={L - 4} y={T + 8} textAnchor="end" fontSize="10" fill="#374151">{fmtPercent(max, lang)}</text>
        <text x={L - 4} y={H - B} textAnchor="end" fontSize="10" fill="#374151">0</text>
        {points.length > 0 && ticks.map((i) => (
          // the last label ends at the last point: centred on it, a dated label ran past the chart's right edge
          <text key={i} x={x(i)} y={H - 6} textAnchor={i === points.length - 1 && i > 0 ? 'end' : 'middle'} fontSize="10" fill="#374151">
            {fmtTime(points[i].t, lang, withDate)}</text>
        ))}
        {points.length > 0 && <path d={line} fill="none" stroke="#1d4ed8" strokeWidth="2" />}
        {points.map((p, i) => <circle key={i} cx={x(i)} cy={y(p.rate)} r="2" fill="#1d4ed8"><title>{`${fmtTime(p.t, lang, true)}: ${fmtPercent(p.rate, lang)}`}</title></circle>)}
      </svg>
      <figcaption className="sr-only">
        {points.map((p) => `${fmtTime(p.t, lang, withDate)} ${fmtPercent(p.rate, lang)}`).join('; ')}
      </figcaption>
    </figure>
  );
}
