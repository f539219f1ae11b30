/**
 * Grouped bar chart with error bars: one group per category along x, one bar per series in each
 * group, bars grown from a baseline (0, or e.g. 0.5 for AUC), an interval drawn as a whisker.
 *
 *   barChartSvg({ title, yLabel, xLabel?, categories: string[],
 *                 series: [{ name, values: Array<{ value, low?, high? } | undefined> }],  // one per category
 *                 baseline?, yMin?, yMax?, width?, height? }): string (an <svg> element)
 */
import { escapeHtml } from './escape.ts';
import { frame, legend, legendRows, linearScale, niceTicks, plotArea, r, seriesColour, svgRoot } from './svg.ts';

export interface BarValue {
  value: number;
  low?: number;
  high?: number;
}

export interface BarSeries {
  name: string;
  values: Array<BarValue | undefined>;
}

export interface BarChartOptions {
  title: string;
  yLabel: string;
  xLabel?: string;
  categories: string[];
  series: BarSeries[];
  /** bars start here (default 0); a reference line is drawn when it is not the axis minimum */
  baseline?: number;
  yMin?: number;
  yMax?: number;
  width?: number;
  height?: number;
  /** default true; false when several charts share one legend (legendSvg) */
  showLegend?: boolean;
  standalone?: boolean;
}

export function barChartSvg(opts: BarChartOptions): string {
  const width = opts.width ?? 520;
  const height = opts.height ?? 300;
  const names = opts.series.map((s) => s.name);
  const showLegend = opts.showLegend ?? true;
  const labelLines = Math.max(1, ...opts.categories.map((c) => c.split('\n').length));
  const plot = plotArea(width, height, showLegend ? legendRows(names, width) : 0, labelLines);
  const baseline = opts.baseline ?? 0;
  const extremes = [baseline];
  for (const s of opts.series) {
    for (const v of s.values) {
      if (!v) continue;
      for (const x of [v.value, v.low, v.high]) if (x !== undefined && Number.isFinite(x)) extremes.push(x);
    }
  }
  const ticks = niceTicks(opts.yMin ?? Math.min(...extremes), opts.yMax ?? Math.max(...extremes));
  const y = linearScale(ticks[0], ticks[ticks.length - 1], plot.bottom, plot.top);
  const out = frame(plot, { title: opts.title, yLabel: opts.yLabel, xLabel: opts.xLabel, yTicks: ticks, y });
  if (showLegend) out.push(...legend(names, width));
  const groupWidth = (plot.right - plot.left) / Math.max(1, opts.categories.length);
  const barWidth = Math.min(28, (groupWidth * 0.8) / Math.max(1, opts.series.length));
  opts.categories.forEach((cat, c) => {
    // the bars present in this group, centred (a series without a value here leaves no gap)
    const present = opts.series.map((_, j) => j).filter((j) => Number.isFinite(opts.series[j].values[c]?.value ?? Number.NaN));
    const groupLeft = plot.left + c * groupWidth + (groupWidth - barWidth * present.length) / 2;
    opts.series.forEach((s, j) => {
      const v = s.values[c];
      if (!v || !Number.isFinite(v.value)) return;
      const x = groupLeft + present.indexOf(j) * barWidth;
      const y0 = y(baseline);
      const y1 = y(v.value);
      const tip = `${s.name}, ${cat}: ${v.value.toPrecision(4)}${v.low !== undefined && v.high !== undefined ? ` [${v.low.toPrecision(4)}, ${v.high.toPrecision(4)}]` : ''}`;
      out.push(`<rect x="${r(x + 1)}" y="${r(Math.min(y0, y1))}" width="${r(barWidth - 2)}" height="${r(Math.max(0.5, Math.abs(y1 - y0)))}" `
        + `fill="${seriesColour(j)}"><title>${escapeHtml(tip)}</title></rect>`);
      if (v.low !== undefined && v.high !== undefined && Number.isFinite(v.low) && Number.isFinite(v.high)) {
        const cx = x + barWidth / 2;
        const cap = Math.min(4, barWidth / 3);
        out.push(`<path d="M${r(cx)} ${r(y(v.low))}V${r(y(v.high))}M${r(cx - cap)} ${r(y(v.low))}H${r(cx + cap)}M${r(cx - cap)} ${r(y(v.high))}H${r(cx + cap)}" `
          + 'stroke="#1f2328" stroke-width="1.2" fill="none"/>');
      }
    });
    // a category label may have several lines ("1\nn=2605")
    const cx = r(plot.left + (c + 0.5) * groupWidth);
    const lines = cat.split('\n').map((l, i) => `<tspan x="${cx}" dy="${i === 0 ? 0 : 14}">${escapeHtml(l)}</tspan>`).join('');
    out.push(`<text x="${cx}" y="${plot.bottom + 16}" text-anchor="middle">${lines}</text>`);
  });
  if (baseline !== ticks[0]) {
    out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${r(y(baseline))}" y2="${r(y(baseline))}" stroke="#57606a" stroke-dasharray="4 3"/>`);
  }
  return svgRoot(plot, opts.title, out, opts.standalone);
}
