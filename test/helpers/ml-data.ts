/** Small hand-made data sets and assertions for the model library's known-answer tests. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VitrineError, type ErrorCode } from '../../src/core/errors.ts';
import { DAY_MS } from '../../src/core/time.ts';
import { buildInteractions, type InteractionData, type ItemFeatures } from '../../src/ml/dataset.ts';
import type { ContentItemInput } from '../../src/ml/content/item-tokens.ts';

/** Interactions from [user, item, day?, weight?] tuples, in that order (day → epoch ms). */
export function interactions(rows: ReadonlyArray<readonly [string, string, number?, number?]>): InteractionData {
  return buildInteractions(rows.map(([user, item, day, weight]) => ({ user, item, ts: (day ?? 0) * DAY_MS, weight })));
}

/** Item features aligned with `itemIds`, from a map of id → features. */
export function itemFeatures(itemIds: readonly string[], byId: Record<string, ContentItemInput>, embeddingDim?: number): ItemFeatures {
  const get = (id: string): ContentItemInput => {
    const f = byId[id];
    if (!f) throw new Error(`no features for ${id}`);
    return f;
  };
  const features: ItemFeatures = {
    category: itemIds.map((id) => get(id).category),
    brand: itemIds.map((id) => get(id).brand),
    tags: itemIds.map((id) => [...(get(id).tags ?? [])]),
    attributes: itemIds.map((id) => ({ ...(get(id).attributes ?? {}) })),
    price: itemIds.map(() => undefined),
    createdAt: new Float64Array(itemIds.length),
  };
  if (embeddingDim !== undefined) {
    features.embeddingDim = embeddingDim;
    features.embedding = new Float32Array(itemIds.length * embeddingDim);
    itemIds.forEach((id, i) => features.embedding?.set(Array.from(get(id).embedding ?? []), i * embeddingDim));
  }
  return features;
}

/** Every item of a group for every user of it, except `holdOut` ([user, item] pairs). */
export function blocks(groups: ReadonlyArray<{ users: string[]; items: string[] }>, holdOut: ReadonlyArray<[string, string]> = []): InteractionData {
  const held = new Set(holdOut.map(([u, i]) => `${u}|${i}`));
  const rows: Array<[string, string]> = [];
  for (const g of groups) for (const u of g.users) for (const i of g.items) if (!held.has(`${u}|${i}`)) rows.push([u, i]);
  return interactions(rows);
}

/** `prefix0 … prefix(n-1)`. */
export function ids(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, k) => `${prefix}${k}`);
}

/** Asserts that `fn` throws (or rejects with) a VitrineError of `code`. */
export async function assertCode(fn: () => unknown, code: ErrorCode, messagePart?: string): Promise<void> {
  await assert.rejects(async () => fn(), (err: unknown) => {
    assert.ok(err instanceof VitrineError, `expected a VitrineError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (messagePart) assert.match(err.message, new RegExp(messagePart));
    return true;
  });
}

/** A fresh temp dir, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-ml-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
