import assert from 'node:assert/strict';
import { it } from 'node:test';
import { dedupeRows } from '../src/serving/page/compose/dedupe.ts';
import type { PageItem } from '../src/serving/page/types.ts';

const items = (...ids: string[]): PageItem[] => ids.map((itemId, k) => ({ itemId, score: 1 - k / 10 }));
const shown = (rows: PageItem[][]) => rows.map((r) => r.map((i) => i.itemId));

it('dedupeRows: earlier rows win, curated rows claim first, a rejected item stays free', () => {
  const out = dedupeRows([
    { kind: 'for-you', items: items('a', 'b', 'c', 'd'), limit: 2, admit: (i) => (i.itemId === 'a' ? undefined : i) },
    { kind: 'trending', items: items('a', 'b', 'e', 'f'), limit: 2 },
    { kind: 'curated', items: items('c', 'g'), limit: 5 },
  ]);
  assert.deepEqual(shown(out), [['b', 'd'], ['a', 'e'], ['c', 'g']]);
});

it('dedupeRows: one call\'s claims do not carry into the next', () => {
  assert.deepEqual(shown(dedupeRows([{ kind: 'for-you', items: items('a', 'b'), limit: 2 }])), [['a', 'b']]);
  assert.deepEqual(shown(dedupeRows([
    { kind: 'trending', items: items('b', 'a'), limit: 1 },
    { kind: 'style', items: items('b', 'a'), limit: 2 },
  ])), [['b'], ['a']]);
});
