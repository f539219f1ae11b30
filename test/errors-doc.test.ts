import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { ERROR_CODES, VitrineError } from '../src/core/errors.ts';

it('docs/errors.md lists exactly the registered codes, each with its status', () => {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\| `(VITRINE_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
  assert.deepEqual(rows, Object.entries(ERROR_CODES).map(([code, { status }]) => [code, status]));
});

it('every code follows VITRINE_<AREA>_<WHAT> and maps to a 4xx/5xx status', () => {
  for (const [code, { status }] of Object.entries(ERROR_CODES)) {
    assert.match(code, /^VITRINE_[A-Z]+_[A-Z_]+$/);
    assert.ok(status >= 400 && status < 600, code);
  }
});

it('a VitrineError carries its registered status and serialises to the API envelope', () => {
  const e = new VitrineError('VITRINE_ITEM_NOT_FOUND', 'no item "x"', { id: 'x' });
  assert.equal(e.status, 404);
  assert.deepEqual(e.toJSON(), { code: 'VITRINE_ITEM_NOT_FOUND', message: 'no item "x"', details: { id: 'x' } });
});

it('a model\'s "never seen" errors carry no stack frames (cold start, asked the next way); others keep theirs', () => {
  const limit = Error.stackTraceLimit;
  const unknown = new VitrineError('VITRINE_MODEL_UNKNOWN_USER', 'als: member "m" is not in the training data');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.message, 'als: member "m" is not in the training data');
  assert.ok(unknown instanceof Error);
  assert.doesNotMatch(unknown.stack ?? '', /\n\s+at /);
  assert.doesNotMatch(new VitrineError('VITRINE_MODEL_UNKNOWN_ITEM').stack ?? '', /\n\s+at /);
  assert.match(new VitrineError('VITRINE_ITEM_NOT_FOUND').stack ?? '', /\n\s+at /);
  assert.equal(Error.stackTraceLimit, limit);
});
