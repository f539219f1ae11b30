/**
 * Reusable blocks for self-contained HTML reports (the evaluation report, the simulator's): a page
 * shell with inline CSS, tables, and hand-made SVG charts — no script, no network.
 *
 *   htmlDocument({ title, subtitle?, sections, footer? }) → string      document.ts
 *   section(title, ...content), paragraph, note, list, figure, chartRow, contents
 *   htmlTable({ columns: [{ label, numeric? }], rows, caption?, highlightRows? }) → Html   table.ts
 *   barChartSvg({ title, yLabel, categories, series: [{ name, values: [{ value, low?, high? }] }], baseline? })   bar-chart.ts
 *   lineChartSvg({ title, xLabel, yLabel, series: [{ name, points: [[x, y]], dashed? }], xTicks? })              line-chart.ts
 *   legendSvg(names, width) → string: one legend for a row of charts drawn with showLegend: false    svg.ts
 *   escapeHtml(text), raw(html): Html — strings are always escaped, Html is inserted as is             escape.ts
 */
export { escapeHtml, raw, render, type Html } from './escape.ts';
export { chartRow, contents, figure, heading3, htmlDocument, list, note, paragraph, section, type DocumentOptions } from './document.ts';
export { htmlTable, type Cell, type TableColumn, type TableOptions } from './table.ts';
export { barChartSvg, type BarChartOptions, type BarSeries, type BarValue } from './bar-chart.ts';
export { lineChartSvg, type LineChartOptions, type LineSeries } from './line-chart.ts';
export { legendSvg, PALETTE, seriesColour } from './svg.ts';
