/**
 * A self-contained HTML page: inline CSS, no script, no font or image from the network, so that a
 * report opens anywhere (mail attachment, CI artifact, offline) and prints cleanly.
 *
 *   htmlDocument({ title, subtitle?, sections: Html[], footer? }): string
 *   section(title, ...content: Array<string | Html>): Html   // a <section> with an <h2> and an anchor
 *   paragraph(text | Html): Html, note(text | Html): Html, list(items): Html
 */
import { escapeHtml, raw, render, type Html } from './escape.ts';

export const REPORT_CSS = `
:root { --ink: #1f2328; --muted: #57606a; --rule: #d0d7de; --band: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1120px; padding: 24px 32px 48px; color: var(--ink);
  font: 14px/1.5 -apple-system, "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 15px; margin: 20px 0 6px; }
p, ul { margin: 6px 0; max-width: 900px; }
.subtitle, .note, figcaption { color: var(--muted); }
.note { font-size: 13px; }
nav a { margin-right: 12px; }
table { border-collapse: collapse; margin: 8px 0 12px; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); padding-bottom: 4px; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--rule); }
th { background: var(--band); text-align: left; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
summary { cursor: pointer; color: var(--muted); margin: 8px 0; }
.ci { display: block; color: var(--muted); font-size: 11px; }
tr.best td { font-weight: 600; }
figure { margin: 8px 0 16px; }
.charts { display: flex; flex-wrap: wrap; gap: 8px 24px; }
svg text { font-family: inherit; fill: var(--ink); }
svg .axis line, svg .axis path { stroke: #8c959f; }
svg .grid line { stroke: #eaeef2; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print { body { padding: 0; } h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
`;

export interface DocumentOptions {
  title: string;
  subtitle?: string | Html;
  sections: Html[];
  footer?: string | Html;
}

/** The whole page as a string. */
export function htmlDocument(opts: DocumentOptions): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(opts.title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(opts.title)}</h1>`,
    opts.subtitle === undefined ? '' : `<p class="subtitle">${render(opts.subtitle)}</p>`,
    ...opts.sections.map((s) => s.html),
    opts.footer === undefined ? '' : `<footer>${render(opts.footer)}</footer>`,
    '</body>',
    '</html>',
    '',
  ].filter((line) => line !== '').join('\n');
}

/** A section with a heading; its id (for links) is the title in kebab case. */
export function section(title: string, ...content: Array<string | Html>): Html {
  return raw(`<section id="${sectionId(title)}">\n<h2>${escapeHtml(title)}</h2>\n${content.map((c) => render(c)).join('\n')}\n</section>`);
}

export function sectionId(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export function heading3(text: string): Html {
  return raw(`<h3>${escapeHtml(text)}</h3>`);
}

export function paragraph(text: string | Html): Html {
  return raw(`<p>${render(text)}</p>`);
}

export function note(text: string | Html): Html {
  return raw(`<p class="note">${render(text)}</p>`);
}

export function list(items: Array<string | Html>): Html {
  return raw(`<ul>${items.map((i) => `<li>${render(i)}</li>`).join('')}</ul>`);
}

/** Links to sections by title. */
export function contents(titles: string[]): Html {
  return raw(`<nav>${titles.map((t) => `<a href="#${sectionId(t)}">${escapeHtml(t)}</a>`).join('')}</nav>`);
}

/** A figure (an SVG chart) with a caption. */
export function figure(svg: string, caption?: string | Html): Html {
  return raw(`<figure>${svg}${caption === undefined ? '' : `<figcaption>${render(caption)}</figcaption>`}</figure>`);
}

/** Figures side by side (wrapping). */
export function chartRow(figures: Html[]): Html {
  return raw(`<div class="charts">${figures.map((f) => f.html).join('')}</div>`);
}
