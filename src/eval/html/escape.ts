/** Escaping for text and attribute values in HTML and inline SVG. */

/** `&`, `<`, `>`, `"` and `'` as entities: safe in text and in quoted attributes. */
export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

/** Pre-rendered markup that a block inserts as it is (a string is always escaped). */
export interface Html {
  html: string;
}

/** Marks markup as safe to insert unescaped. */
export function raw(html: string): Html {
  return { html };
}

/** A string (escaped), a number (formatted by the caller) or pre-rendered markup. */
export function render(content: string | number | Html): string {
  return typeof content === 'object' ? content.html : escapeHtml(content);
}
