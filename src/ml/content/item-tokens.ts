/**
 * The words of an item's side information as feature tokens — `cat:gown`, `brand:badgley mischka`,
 * `tag:boho`, `attr:color=black`, `attr:sleeveless` (a true boolean) — and the idf-weighted vocabulary
 * they are counted in. Numeric attributes are left out.
 * TODO(needs bucketing rules per attribute): use numeric attributes (price, length) as features.
 */
import type { AttributeValue } from '../../core/types.ts';

/** An item's side information as the content model reads it. */
export interface ContentItemInput {
  category: string;
  brand?: string;
  tags?: readonly string[];
  attributes?: Readonly<Record<string, AttributeValue>>;
  /** must have the model's embedding dimension */
  embedding?: ArrayLike<number>;
}

const clean = (s: string): string => s.trim().toLowerCase().replace(/\s+/g, ' ');

/** The distinct feature tokens of one item. */
export function itemTokens(item: ContentItemInput): string[] {
  const out = new Set<string>();
  if (item.category) out.add(`cat:${clean(item.category)}`);
  if (item.brand) out.add(`brand:${clean(item.brand)}`);
  for (const tag of item.tags ?? []) if (tag.trim()) out.add(`tag:${clean(tag)}`);
  for (const [key, value] of Object.entries(item.attributes ?? {})) {
    if (typeof value === 'string' && value.trim()) out.add(`attr:${clean(key)}=${clean(value)}`);
    else if (value === true) out.add(`attr:${clean(key)}`);
  }
  return [...out];
}

/** The human words a token stands for: `attr:color=black` → "black", `attr:sleeveless` → "sleeveless". */
export function tokenText(token: string): string {
  const body = token.slice(token.indexOf(':') + 1);
  const eq = body.indexOf('=');
  return eq >= 0 ? body.slice(eq + 1) : body;
}

/** The kind of a token: 'cat', 'brand', 'tag' or 'attr'. */
export function tokenKind(token: string): string {
  return token.slice(0, token.indexOf(':'));
}

/**
 * The `maxFeatures` most frequent tokens (ties by name, so the vocabulary is deterministic) and their
 * smoothed idf, ln((1 + N) / (1 + df)) + 1.
 */
export function buildVocabulary(tokensPerItem: readonly string[][], maxFeatures: number): { vocab: string[]; idf: Float32Array } {
  const df = new Map<string, number>();
  for (const tokens of tokensPerItem) for (const t of tokens) df.set(t, (df.get(t) ?? 0) + 1);
  const vocab = [...df.keys()]
    .sort((a, b) => (df.get(b) ?? 0) - (df.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, maxFeatures);
  const n = tokensPerItem.length;
  const idf = Float32Array.from(vocab, (t) => Math.log((1 + n) / (1 + (df.get(t) ?? 0))) + 1);
  return { vocab, idf };
}
