/**
 * Line chart: series of (x, y) points over numeric x, markers on the points, optional dashed series
 * (for references such as "the catalogue"), x ticks at given positions with given labels.
 *
 *   lineChartSvg({ title, xLabel, yLabel, series: [{ name, points: [x, y][], dashed?, colour? }],
 *                  xTicks?: Array<{ x, label }>, yMin?, yMax?, width?, height? }): string (an <svg>)
 */
import { escapeHtml } from './escape.ts';
import { formatTick, frame, legend, legendRows, linearScale, niceTicks, plotArea, r, seriesColour, svgRoot } from './svg.ts';

export interface LineSeries {
  name: string;
  points: Array<[number, number]>;
  dashed?: boolean;
  colour?: string;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  xTicks?: Array<{ x: number; label: string }>;
  yMin?: number;
  yMax?: number;
  width?: number;
  height?: number;
  standalone?: boolean;
}

export function lineChartSvg(opts: LineChartOptions): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 320;
  const names = opts.series.map((s) => s.name);
  const plot = plotArea(width, height, legendRows(names, width));
  const xs = opts.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = opts.series.flatMap((s) => s.points.map((p) => p[1])).filter(Number.isFinite);
  const yTicks = niceTicks(opts.yMin ?? Math.min(0, ...ys), opts.yMax ?? Math.max(...ys, 0));
  const y = linearScale(yTicks[0], yTicks[yTicks.length - 1], plot.bottom, plot.top);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const pad = (plot.right - plot.left) * 0.03;
  const x = linearScale(xMin, xMax, plot.left + pad, plot.right - pad);
  const out = frame(plot, { title: opts.title, yLabel: opts.yLabel, xLabel: opts.xLabel, yTicks, y });
  const colours = opts.series.map((s, j) => s.colour ?? seriesColour(j));
  out.push(...legend(names, width, { lines: true, dashed: opts.series.map((s) => s.dashed ?? false), colours }));
  const xTicks = opts.xTicks ?? niceTicks(xMin, xMax).filter((t) => t >= xMin && t <= xMax).map((t, _, all) => ({ x: t, label: formatTick(t, all) }));
  out.push('<g class="axis">');
  for (const t of xTicks) {
    out.push(`<line x1="${r(x(t.x))}" x2="${r(x(t.x))}" y1="${plot.bottom}" y2="${plot.bottom + 4}"/>`);
    out.push(`<text x="${r(x(t.x))}" y="${plot.bottom + 16}" text-anchor="middle">${escapeHtml(t.label)}</text>`);
  }
  out.push('</g>');
  opts.series.forEach((s, j) => {
    const pts = s.points.filter((p) => Number.isFinite(p[1]));
    if (pts.length === 0) return;
    const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(x(p[0]))} ${r(y(p[1]))}`).join('');
    out.push(`<path d="${d}" fill="none" stroke="${colours[j]}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    for (const p of pts) {
      out.push(`<circle cx="${r(x(p[0]))}" cy="${r(y(p[1]))}" r="2.5" fill="${colours[j]}"><title>${escapeHtml(`${s.name}: ${p[0]}, ${p[1].toPrecision(3)}`)}</title></circle>`);
    }
  });
  return svgRoot(plot, opts.title, out, opts.standalone);
}
