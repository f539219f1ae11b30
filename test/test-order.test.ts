/** The order `npm test` starts its files in (scripts/test-order.ts), with known answers. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { longestFirst, readTimings, testName, writeTimings } from '../scripts/test-order.ts';

test('the longest first by the last run, then by the recorded run; a file in neither first; ties by name', () => {
  const files = ['/r/.cache/test-js/test/a.test.js', '/r/.cache/test-js/test/b.test.js', '/r/.cache/test-js/test/c.test.js',
    '/r/.cache/test-js/test/d.test.js', '/r/.cache/test-js/test/new.test.js'];
  const last = new Map([['a.test.ts', 100], ['b.test.ts', 3000], ['c.test.ts', 100]]);
  const recorded = new Map([['a.test.ts', 9000], ['d.test.ts', 2000]]);
  assert.deepEqual(longestFirst(files, last, recorded).map(testName), ['new.test.ts', 'b.test.ts', 'd.test.ts', 'a.test.ts', 'c.test.ts']);
  assert.deepEqual(longestFirst(files, new Map()).map(testName), ['a.test.ts', 'b.test.ts', 'c.test.ts', 'd.test.ts', 'new.test.ts'], 'no record: by name');
});

test('a run updates the files it ran and keeps the others; a missing or broken file is no record', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-test-order-'));
  try {
    const path = join(dir, 'timings.json');
    assert.deepEqual(readTimings(path), new Map());
    writeTimings(path, new Map([['a.test.ts', 100], ['b.test.ts', 200]]), new Map([['/r/.cache/test-js/test/a.test.js', 1234.6]]));
    assert.deepEqual([...readTimings(path)], [['a.test.ts', 1235], ['b.test.ts', 200]]);
    writeTimings(path, new Map(), new Map());
    assert.deepEqual(readTimings(path), new Map());
    writeFileSync(path, '{"a.test.ts": 1');
    assert.deepEqual(readTimings(path), new Map(), 'cut short');
    assert.deepEqual(readTimings(join(dir, 'nope.json')), new Map());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
