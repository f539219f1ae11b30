/**
 * The page templates that exist without being stored: `home`, the page every member gets unless a
 * stored template (PUT /v1/pages/home) or an experiment variant says otherwise. A `curated` row
 * without a carouselId stands for every active carousel, one row each (expandCuratedRows).
 */
import type { PageTemplate } from '../page/types.ts';

/** The built-in `home` page: the row kinds in their default order, then the stylists' rows. */
export const DEFAULT_HOME_TEMPLATE: Readonly<PageTemplate> = deepFreeze({
  name: 'home',
  rows: [
    { kind: 'for-you' },
    { kind: 'because-you-liked' },
    { kind: 'popular-in-your-size' },
    { kind: 'for-occasion' },
    { kind: 'style' },
    { kind: 'trending' },
    { kind: 'new-arrivals' },
    { kind: 'back-in-your-size' },
    { kind: 'curated' },
  ],
});

/** Built-in templates by name. */
export const DEFAULT_TEMPLATES: ReadonlyMap<string, Readonly<PageTemplate>> = new Map([[DEFAULT_HOME_TEMPLATE.name, DEFAULT_HOME_TEMPLATE]]);

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (v && typeof v === 'object') deepFreeze(v);
  return Object.freeze(value);
}
