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
