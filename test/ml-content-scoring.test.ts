import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ItemVector } from '../src/ml/content/content-space.ts';
import { ItemVectors } from '../src/ml/content/item-vectors.ts';

const item = (tokens: Record<number, number>, embedding: number[]): ItemVector => {
  const indices = Int32Array.from(Object.keys(tokens), Number).sort();
  return { indices, values: Float32Array.from(indices, (k) => tokens[k]), embedding: Float32Array.from(embedding) };
};

/** The dense dot product of item vector `v` with `profile`, term by term in the order dotAll sums. */
function denseDot(v: ItemVector, profile: Float32Array, vocab: number): number {
  let s = 0;
  v.indices.forEach((k, j) => (s += v.values[j] * profile[k]));
  v.embedding.forEach((x, e) => (s += x * profile[vocab + e]));
  return Math.fround(s);
}

// vocabulary of 4 tokens, 3-d embeddings (not a multiple of 4: the kernel's tail), 5 items (not a multiple of 4: its last single row)
const catalogue = [
  item({ 0: 0.6, 2: 0.8 }, [0, 0, 0]),
  item({ 1: 1 }, [0.5, 0.5, 0]),
  item({}, [0, 0, 1]),
  item({ 0: 0.5, 1: 0.5, 3: 0.5 }, [0.2, 0, 0.3]),
  item({ 3: 0.25 }, [1, 1, 1]),
];
const profile = Float32Array.from([1, 0, 0.5, 2, 0.5, 0, 2]);

test('dotAll gives each item its dot product with the profile (known answers)', () => {
  const scores = ItemVectors.from(4, 3, catalogue).dotAll(profile);
  const expected = [0.6 + 0.4, 0.25, 2, 0.5 + 1 + 0.1 + 0.6, 0.5 + 0.5 + 2];
  assert.equal(scores.length, 5);
  expected.forEach((x, i) => assert.ok(Math.abs(scores[i] - x) < 1e-6, `item ${i}: ${scores[i]} vs ${x}`));
  catalogue.forEach((v, i) => assert.equal(scores[i], denseDot(v, profile, 4), `item ${i} bit for bit`));
});

test('a profile with no embedding part (onboarding) or a catalogue without embeddings scores the tokens alone', () => {
  const tokensOnly = Float32Array.from([1, 0, 0.5, 2, 0, 0, 0]);
  assert.deepEqual([...ItemVectors.from(4, 3, catalogue).dotAll(tokensOnly)], [0.6 + 0.4, 0, 0, 1.5, 0.5].map(Math.fround));
  const plain = ItemVectors.from(4, 0, catalogue.map((v) => ({ ...v, embedding: new Float32Array(0) })));
  assert.deepEqual([...plain.dotAll(tokensOnly.subarray(0, 4))], [0.6 + 0.4, 0, 0, 1.5, 0.5].map(Math.fround));
});

test('an item appended or replaced after scoring scores right, and the result is the caller\'s to keep', () => {
  const vectors = ItemVectors.from(4, 3, catalogue);
  const first = vectors.dotAll(profile);
  const kept = Float32Array.from(first);
  // appended after the postings were built (the serving path: addItem without retraining)
  const added = item({ 2: 1, 3: 1 }, [0, 1, 1]);
  vectors.set(5, added);
  const afterAppend = vectors.dotAll(profile);
  assert.equal(afterAppend.length, 6);
  assert.ok(Math.abs(afterAppend[5] - (0.5 + 2 + 2)) < 1e-6, String(afterAppend[5]));
  assert.deepEqual(first, kept, 'an earlier result is not overwritten by a later call');
  // replacing item 0's vector moves its score, and leaves the others where they were
  vectors.set(0, item({ 3: 1 }, [1, 0, 0]));
  const afterReplace = vectors.dotAll(profile);
  assert.ok(Math.abs(afterReplace[0] - (2 + 0.5)) < 1e-6, String(afterReplace[0]));
  assert.deepEqual([...afterReplace.subarray(1)], [...afterAppend.subarray(1)]);
  // and appends keep working on the rebuilt layout
  vectors.set(6, item({ 0: 1 }, [0, 0, 0]));
  assert.deepEqual([...vectors.dotAll(profile).subarray(5)], [afterAppend[5], 1]);
});

test('scores equal the dense dot products bit for bit on a random catalogue, appends included', () => {
  let seed = 7;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const vocab = 30;
  const dim = 5;
  const random = (): ItemVector => {
    const tokens: Record<number, number> = {};
    for (let j = 0; j < 4; j++) tokens[Math.floor(rand() * vocab)] = rand();
    return item(tokens, Array.from({ length: dim }, () => rand() - 0.5));
  };
  const vecs = Array.from({ length: 41 }, random);
  const vectors = ItemVectors.from(vocab, dim, vecs);
  const p = Float32Array.from({ length: vocab + dim }, () => (rand() < 0.5 ? 0 : rand() - 0.3));
  vectors.dotAll(p);
  for (let j = 0; j < 6; j++) {
    vecs.push(random());
    vectors.set(vecs.length - 1, vecs.at(-1)!);
  }
  const scores = vectors.dotAll(p);
  vecs.forEach((v, i) => assert.equal(scores[i], denseDot(v, p, vocab), `item ${i}`));
});
