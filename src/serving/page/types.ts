/** The shapes of a page: templates and carousels in, rows of reasoned items and fallback notes out. */
import type { SourceFailure } from '../fallback/fallback-chain.ts';
import type { CarouselInput } from '../../storage/store.ts';

export const ROW_KINDS = [
  'for-you', 'because-you-liked', 'curated', 'style', 'for-occasion', 'trending', 'new-arrivals',
  'popular-in-your-size', 'back-in-your-size',
] as const;
export type RowKind = (typeof ROW_KINDS)[number];

/** True when `kind` is a row kind this build knows. */
export function isRowKind(kind: string): kind is RowKind {
  return (ROW_KINDS as readonly string[]).includes(kind);
}

/** One row of a page template (API.md: `PUT /v1/pages/{pageName}`). */
export interface TemplateRow {
  kind: string;
  carouselId?: string;
  size?: number;
  title?: string;
}

export interface PageTemplate {
  name: string;
  rows: TemplateRow[];
  maxRows?: number;
  rowOrder?: 'bandit' | 'fixed';
}

/** A stylist's row (API.md: `PUT /v1/carousels/{carouselId}`): the store's carousel with its id. */
export type Carousel = CarouselInput & { id: string };

/**
 * Where page templates and carousels come from (the store, through the merchandising routes); a
 * template's carousel-less `curated` row comes back expanded, one row per active carousel.
 */
export interface Merchandising {
  template(name: string): Promise<PageTemplate | undefined>;
  carousel(id: string): Promise<Carousel | undefined>;
}

export interface PageItem {
  itemId: string;
  score: number;
  reason?: string;
}

export interface PageRow {
  rowId: string;
  kind: RowKind;
  title: string;
  explanation?: string;
  items: PageItem[];
}

/** A row (or list) that did not come from its first source: what failed and what was used instead. */
export interface FallbackNote {
  rowId: string;
  kind: string;
  /** the sources whose items were served, in order */
  used: string[];
  failed: SourceFailure[];
}

export interface Page {
  pageId: string;
  userId: string;
  variant: string;
  modelVersion: string | null;
  tookMs: number;
  fallbacks: FallbackNote[];
  rows: PageRow[];
}

/** What an experiment variant may change (S2's variant config). */
export interface VariantConfig {
  /** an algorithm name or a model version for `for-you` */
  model?: string;
  /** the page template's name */
  template?: string;
  rowOrder?: 'bandit' | 'fixed';
  budgetMs?: number;
}

export interface ResolvedVariant {
  variant: string;
  experimentId?: string;
  config: VariantConfig;
}

/** The variant of members in no experiment. */
export const NO_EXPERIMENT: ResolvedVariant = { variant: 'default', config: {} };
