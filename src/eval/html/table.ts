/**
 * An HTML table: columns with an alignment, cells as text (escaped), numbers or markup.
 *
 *   htmlTable({ columns: [{ label, numeric? }], rows: Cell[][], caption?, highlightRows? }): Html
 */
import { escapeHtml, raw, render, type Html } from './escape.ts';

export type Cell = string | number | Html;

export interface TableColumn {
  label: string;
  /** right-aligned, tabular figures */
  numeric?: boolean;
  /** hover text for the header */
  title?: string;
}

export interface TableOptions {
  columns: TableColumn[];
  rows: Cell[][];
  caption?: string;
  /** indexes of rows to set in bold (e.g. the best) */
  highlightRows?: number[];
  /** no header row (a two-column list of facts) */
  hideHeader?: boolean;
}

export function htmlTable(opts: TableOptions): Html {
  const cls = (c: TableColumn): string => (c.numeric ? ' class="num"' : '');
  const head = opts.columns.map((c) => `<th${cls(c)}${c.title ? ` title="${escapeHtml(c.title)}"` : ''}>${escapeHtml(c.label)}</th>`).join('');
  const highlight = new Set(opts.highlightRows ?? []);
  const body = opts.rows.map((row, r) => {
    const cells = row.map((cell, c) => `<td${cls(opts.columns[c] ?? { label: '' })}>${render(cell)}</td>`).join('');
    return `<tr${highlight.has(r) ? ' class="best"' : ''}>${cells}</tr>`;
  });
  const caption = opts.caption ? `<caption>${escapeHtml(opts.caption)}</caption>` : '';
  const thead = opts.hideHeader ? '' : `<thead><tr>${head}</tr></thead>`;
  return raw(`<table>${caption}${thead}<tbody>${body.join('')}</tbody></table>`);
}
