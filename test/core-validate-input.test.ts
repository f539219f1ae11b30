import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isInputRejection, validateItem, validateItemWithId, validateUser } from '../src/core/validate-input.ts';

const item = { title: 'Red dress', category: 'dress' };
const code = (v: unknown): string | undefined => (isInputRejection(v) ? v.code : undefined);

describe('validateItem / validateItemWithId (PUT /v1/items, batch, items-jsonl)', () => {
  it('accepts a full item and normalises availableFrom to epoch ms', () => {
    const out = validateItemWithId({
      id: 'dress-1', ...item, brand: 'Acme', tags: ['red'], attributes: { colour: 'red', midi: true, length: 110 },
      price: 0, imageUrl: 'https://x/y.jpg', embedding: [0.5, -1], sizes: { S: 0, M: 3 }, availableFrom: '2024-03-01', retired: false,
    });
    assert.ok(!isInputRejection(out));
    assert.equal(out.availableFrom, Date.parse('2024-03-01T00:00:00Z'));
    assert.deepEqual(out.sizes, { S: 0, M: 3 });
  });

  it('rejects unknown fields, bad ids and missing required fields with their codes', () => {
    assert.equal(code(validateItem({ ...item, colour: 'red' })), 'VITRINE_REQUEST_UNKNOWN_FIELD');
    assert.equal(code(validateItemWithId({ id: 'a b', ...item })), 'VITRINE_REQUEST_BAD_ID');
    assert.equal(code(validateItemWithId({ id: 'x'.repeat(129), ...item })), 'VITRINE_REQUEST_BAD_ID');
    assert.equal(code(validateItemWithId(item)), 'VITRINE_REQUEST_BAD_ID', 'a missing id is a bad id');
    assert.equal(code(validateItem({ title: 'x' })), 'VITRINE_ITEM_INVALID');
    assert.equal(code(validateItem('dress')), 'VITRINE_ITEM_INVALID');
  });

  it('holds the numeric rules: price ≥ 0, sizes whole and ≥ 0, embedding finite and ≤ 4096 dims, ≤ 100 tags', () => {
    assert.equal(code(validateItem({ ...item, price: -0.01 })), 'VITRINE_ITEM_INVALID');
    assert.equal(code(validateItem({ ...item, sizes: { S: -1 } })), 'VITRINE_ITEM_INVALID');
    assert.equal(code(validateItem({ ...item, sizes: { S: 1.5 } })), 'VITRINE_ITEM_INVALID');
    assert.equal(code(validateItem({ ...item, embedding: [1, Number.NaN] })), 'VITRINE_ITEM_INVALID');
    assert.equal(code(validateItem({ ...item, embedding: [1, Number.POSITIVE_INFINITY] })), 'VITRINE_ITEM_INVALID');
    assert.equal(code(validateItem({ ...item, embedding: new Array(4097).fill(0) })), 'VITRINE_ITEM_INVALID');
    assert.equal(code(validateItem({ ...item, embedding: new Array(4096).fill(0) })), undefined);
    assert.equal(code(validateItem({ ...item, tags: Array.from({ length: 101 }, (_, i) => `t${i}`) })), 'VITRINE_ITEM_INVALID');
    assert.equal(code(validateItem({ ...item, tags: Array.from({ length: 100 }, (_, i) => `t${i}`) })), undefined);
    assert.equal(code(validateItem({ ...item, availableFrom: 'soon' })), 'VITRINE_ITEM_INVALID');
  });
});

describe('validateUser (PUT /v1/users, users-jsonl)', () => {
  it('accepts onboarding answers and normalises upcoming dates to epoch ms', () => {
    const out = validateUser({ sizes: ['8'], preferences: { styles: ['boho'] }, upcoming: [{ occasion: 'wedding', date: '2030-06-05' }] });
    assert.ok(!isInputRejection(out));
    assert.deepEqual(out.upcoming, [{ occasion: 'wedding', date: Date.parse('2030-06-05T00:00:00Z') }]);
  });

  it('rejects unknown fields (also nested), bad dates and too many sizes', () => {
    assert.equal(code(validateUser({ shoeSize: 39 })), 'VITRINE_REQUEST_UNKNOWN_FIELD');
    assert.equal(code(validateUser({ preferences: { colours: ['red'] } })), 'VITRINE_REQUEST_UNKNOWN_FIELD');
    assert.equal(code(validateUser({ upcoming: [{ occasion: 'party', date: 'next week' }] })), 'VITRINE_USER_INVALID');
    assert.equal(code(validateUser({ sizes: Array.from({ length: 21 }, (_, i) => String(i)) })), 'VITRINE_USER_INVALID');
    assert.equal(code(validateUser({ sizes: '8' })), 'VITRINE_USER_INVALID');
  });
});
