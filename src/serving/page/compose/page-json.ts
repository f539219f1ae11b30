/** A page as the JSON the page route sends (PageResponse's fields). */
import type { Page } from '../types.ts';

/** `page` serialised; a reused page's rows were serialised once (`rowsJson`), so only its head is new. */
export function pageJson(page: Page, rowsJson?: string): string {
  if (rowsJson === undefined) return JSON.stringify(page);
  const { rows: _rows, ...head } = page;
  return `${JSON.stringify(head).slice(0, -1)},"rows":${rowsJson}}`;
}
