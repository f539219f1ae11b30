/**
 * Shared pieces of the hand-made SVG charts: colours, "nice" axis ticks, a linear scale, the frame
 * (title, grid, axes with labels) and the legend. Every chart is plain SVG markup, no script.
 */
import { escapeHtml } from './escape.ts';

/** Categorical colours (Tableau 10), distinguishable and print-safe; series j takes colour j mod 10. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function seriesColour(j: number): string {
  return PALETTE[j % PALETTE.length];
}

/** About `target` round ticks (1, 2, 2.5, 5 × 10ⁿ steps) covering [min, max]. */
export function niceTicks(min: number, max: number, target = 5): number[] {
  if (!(max > min)) max = min + 1;
  const raw = (max - min) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((s) => s * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.floor(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks[ticks.length - 1] < max - step * 1e-9) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

/** A tick label with the fewest decimals (≤ 6) that write every tick exactly (0.0025 steps keep 4). */
export function formatTick(value: number, ticks: number[]): string {
  let decimals = 0;
  while (decimals < 6 && ticks.some((t) => Math.abs(t * 10 ** decimals - Math.round(t * 10 ** decimals)) > 1e-6)) decimals++;
  return value.toFixed(decimals);
}

/** Maps [d0, d1] linearly onto [r0, r1]. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

export interface Plot {
  width: number;
  height: number;
  /** inner plotting area */
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The plotting area left after the margins for the title, legend, axis ticks and (multi-line) x labels. */
export function plotArea(width: number, height: number, legendRows: number, xLabelLines = 1): Plot {
  const top = 30 + legendRows * 18;
  return { width, height, left: 64, top, right: width - 16, bottom: height - 46 - (xLabelLines - 1) * 14 };
}

/** `<svg>` with an accessible label; `standalone` adds the namespace needed for a separate .svg file. */
export function svgRoot(plot: Pick<Plot, 'width' | 'height'>, label: string, content: string[], standalone = false): string {
  const ns = standalone ? ' xmlns="http://www.w3.org/2000/svg"' : '';
  return `<svg${ns} width="${plot.width}" height="${plot.height}" viewBox="0 0 ${plot.width} ${plot.height}" role="img" `
    + `aria-label="${escapeHtml(label)}" font-size="12">${content.join('')}</svg>`;
}

/** Title, horizontal grid lines, the y axis with its ticks and rotated label, the x axis label. */
export function frame(plot: Plot, opts: { title: string; yLabel: string; xLabel?: string; yTicks: number[]; y: (v: number) => number }): string[] {
  const out: string[] = [];
  out.push(`<text x="${plot.left}" y="18" font-size="14" font-weight="600">${escapeHtml(opts.title)}</text>`);
  out.push('<g class="grid">');
  for (const t of opts.yTicks) out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${r(opts.y(t))}" y2="${r(opts.y(t))}"/>`);
  out.push('</g><g class="axis">');
  out.push(`<line x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${plot.bottom}"/>`);
  out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}"/>`);
  for (const t of opts.yTicks) {
    out.push(`<line x1="${plot.left - 4}" x2="${plot.left}" y1="${r(opts.y(t))}" y2="${r(opts.y(t))}"/>`);
    out.push(`<text x="${plot.left - 7}" y="${r(opts.y(t) + 4)}" text-anchor="end">${formatTick(t, opts.yTicks)}</text>`);
  }
  out.push('</g>');
  const midY = (plot.top + plot.bottom) / 2;
  out.push(`<text transform="translate(14 ${r(midY)}) rotate(-90)" text-anchor="middle">${escapeHtml(opts.yLabel)}</text>`);
  if (opts.xLabel) {
    out.push(`<text x="${r((plot.left + plot.right) / 2)}" y="${plot.height - 6}" text-anchor="middle">${escapeHtml(opts.xLabel)}</text>`);
  }
  return out;
}

/** A legend on its own (for a row of charts that share series and colours). */
export function legendSvg(names: string[], width: number, opts: { lines?: boolean; dashed?: boolean[]; colours?: string[] } = {}): string {
  const rows = legendRows(names, width);
  // legend() lays out from y = 40 (below a title); shift it up to the top
  return `<svg width="${width}" height="${rows * 18 + 8}" viewBox="0 28 ${width} ${rows * 18 + 8}" role="img" aria-label="legend" font-size="12">`
    + `${legend(names, width, opts).join('')}</svg>`;
}

/** Rows needed to lay out the legend entries across `width`. */
export function legendRows(names: string[], width: number): number {
  return layoutLegend(names, width).rows;
}

/** Swatches and names below the title, wrapping across rows; `dashed[j]` draws a line swatch dashed. */
export function legend(names: string[], width: number, opts: { lines?: boolean; dashed?: boolean[]; colours?: string[] } = {}): string[] {
  const { positions } = layoutLegend(names, width);
  return names.map((name, j) => {
    const { x, y } = positions[j];
    const colour = opts.colours?.[j] ?? seriesColour(j);
    const swatch = opts.lines
      ? `<line x1="${x}" x2="${x + 18}" y1="${y - 4}" y2="${y - 4}" stroke="${colour}" stroke-width="2.5"${opts.dashed?.[j] ? ' stroke-dasharray="5 3"' : ''}/>`
      : `<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${colour}"/>`;
    return `${swatch}<text x="${x + (opts.lines ? 22 : 16)}" y="${y}">${escapeHtml(name)}</text>`;
  });
}

function layoutLegend(names: string[], width: number): { rows: number; positions: Array<{ x: number; y: number }> } {
  const positions: Array<{ x: number; y: number }> = [];
  let x = 64;
  let row = 0;
  for (const name of names) {
    const w = 26 + name.length * 7;
    if (x + w > width - 8 && x > 64) {
      row++;
      x = 64;
    }
    positions.push({ x, y: 40 + row * 18 });
    x += w + 10;
  }
  return { rows: names.length ? row + 1 : 0, positions };
}

/** Rounds a coordinate to 0.1 px (shorter markup, no visible change). */
export function r(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}
