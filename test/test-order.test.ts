/** The timings `npm test` orders and packs its files by (scripts/test-order.ts), with known answers. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readTimings, recordedMs, writeTimings } from '../scripts/test-order.ts';

test("a file's time is the last run's, else the recorded run's; a file in neither has none", () => {
  const last = new Map([['a.test.ts', 100], ['b.test.ts', 3000]]);
  const recorded = new Map([['a.test.ts', 9000], ['d.test.ts', 2000]]);
  const took = (name: string) => recordedMs(`/r/.cache/test-js/test/${name}.test.js`, last, recorded);
  assert.deepEqual(['a', 'b', 'd', 'new'].map(took), [100, 3000, 2000, undefined]);
  assert.equal(recordedMs('test/d.test.ts', new Map()), undefined, 'no fallback given');
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
