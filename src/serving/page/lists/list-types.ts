/** The answer of the one-list read endpoints (recommendations, similar, occasion items, rank). */
import type { FallbackNote, PageItem } from '../types.ts';

export interface ItemList {
  userId?: string;
  variant: string;
  modelVersion: string | null;
  tookMs: number;
  fallbacks: FallbackNote[];
  items: PageItem[];
}

/** A one-list read (routes/lists.ts), answered where the member's pages are composed. */
export type ListQuery =
  | { list: 'recommendations'; userId: string; n: number; category?: string; size?: string }
  | { list: 'similar'; itemId: string; n: number; userId?: string }
  | { list: 'rank'; userId: string; itemIds: string[] }
  | { list: 'occasion'; occasion: string; n: number; userId?: string };
