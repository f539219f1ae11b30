/**
 * Rates with their 95% intervals, one bar per variant: a plain SVG, since a point with a whisker per
 * variant is all an A/B report needs (ADR 0023).
 */
import type { ExperimentReport } from '../../client/index.ts';

type Variant = ExperimentReport['variants'][number];
export type RateKey = 'ctr' | 'rentRate' | 'conversion';

const LABELS = new Map<RateKey, string>([['ctr', 'click-through rate'], ['rentRate', 'rent rate'], ['conversion', 'conversion']]);
const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(2)}%`);

export function RateChart({ variants, rate }: { variants: Variant[]; rate: RateKey }) {
  const label = LABELS.get(rate) ?? rate;
  const top = Math.max(1e-9, ...variants.map((v) => v[rate].high ?? v[rate].rate ?? 0));
  const width = 320;
  const left = 90;
  const barH = 22;
  const height = variants.length * (barH + 10) + 24;
  const x = (v: number) => left + (v / top) * (width - left - 10);
  const summary = variants.map((v) => `${v.name} ${pct(v[rate].rate)} (95% interval ${pct(v[rate].low)} to ${pct(v[rate].high)})`).join('; ');
  return (
    <figure class="chart" data-testid={`chart-${rate}`}>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${label} per variant: ${summary}`}>
        {variants.map((v, k) => {
          const y = 8 + k * (barH + 10);
          const r = v[rate];
          return (
            <g key={v.name} class="bar">
              <text x={left - 6} y={y + barH / 2 + 4} text-anchor="end" class="label">{v.name}</text>
              {r.rate !== null && <rect x={left} y={y} width={Math.max(1, x(r.rate) - left)} height={barH} class={v.control ? 'control' : 'variant'} />}
              {r.low !== null && r.high !== null && (
                <g class="interval">
                  <line x1={x(r.low)} x2={x(r.high)} y1={y + barH / 2} y2={y + barH / 2} />
                  <line x1={x(r.low)} x2={x(r.low)} y1={y + 4} y2={y + barH - 4} />
                  <line x1={x(r.high)} x2={x(r.high)} y1={y + 4} y2={y + barH - 4} />
                </g>
              )}
            </g>
          );
        })}
        <text x={left} y={height - 4} class="axis">0</text>
        <text x={width - 10} y={height - 4} text-anchor="end" class="axis">{pct(top)}</text>
      </svg>
      <figcaption>{label}, with 95% intervals</figcaption>
    </figure>
  );
}

/** Lift against control per variant, as a table (the chart's numbers, readable without it). */
export function LiftTable({ report }: { report: ExperimentReport }) {
  const lift = (v: Variant, k: RateKey) => {
    const l = v.lift?.[k];
    return l && l.value !== null ? `${pct(l.value)} [${pct(l.low)}, ${pct(l.high)}]` : '—';
  };
  return (
    <table>
      <caption>Per variant (control: {report.control}); lift = rate / control rate − 1, with its {Math.round(report.confidence * 100)}% interval</caption>
      <thead><tr><th scope="col">variant</th><th scope="col">users</th><th scope="col">impressions</th><th scope="col">clicks</th><th scope="col">rents</th>
        <th scope="col">CTR lift</th><th scope="col">rent-rate lift</th><th scope="col">conversion lift</th></tr></thead>
      <tbody>
        {report.variants.map((v) => (
          <tr key={v.name}><th scope="row">{v.name}</th><td>{v.users}</td><td>{v.impressions}</td><td>{v.clicks}</td><td>{v.rents}</td>
            <td>{lift(v, 'ctr')}</td><td>{lift(v, 'rentRate')}</td><td>{lift(v, 'conversion')}</td></tr>
        ))}
      </tbody>
    </table>
  );
}
