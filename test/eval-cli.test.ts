import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runEvaluate } from '../src/cli/commands/evaluate.ts';
import { DAY_MS } from '../src/core/time.ts';
import type { VitrineEvent } from '../src/core/types.ts';
import { readEvaluationReport } from '../src/pipeline/evaluation-report-file.ts';
import { openStore } from '../src/storage/open-store.ts';
import { capturing } from './helpers/capture-console.ts';

const dir = mkdtempSync(join(tmpdir(), 'vitrine-eval-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const capture = capturing(runEvaluate);

// train popularity (distinct members): A 4, B 3, C 2, D 1; after 2024-01-11 u1 rents C and u2 rents D
const T0 = Date.UTC(2024, 0, 1);
const ROWS = [
  ['u1', 'A', 0], ['u2', 'A', 0], ['u3', 'A', 0], ['u4', 'A', 0], ['u2', 'B', 1], ['u3', 'B', 1], ['u4', 'B', 1],
  ['u3', 'C', 2], ['u4', 'C', 2], ['u4', 'D', 3], ['u1', 'C', 12], ['u2', 'D', 13],
] as const;

test('--data DIR evaluates the store and --json writes exactly the documented shape', async () => {
  const data = join(dir, 'data');
  const store = await openStore(`sqlite:${data}/vitrine.db`);
  await store.appendEvents(ROWS.map(([userId, itemId, day], k): VitrineEvent =>
    ({ id: `e${k}`, type: 'rent', userId, itemId, ts: T0 + day * DAY_MS })));
  await store.close();
  const json = join(dir, 'out', 'eval.json');
  const r = await capture(['--data', data, '--protocol', 'global-time', '--cutoff', '2024-01-11', '--k', '2',
    '--algorithms', 'popularity', '--json', json]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^popularity +0\.6309 +1\.0000 +0\.5000 +1\.0000 +0\.5000 +0\.750 /m);
  assert.doesNotMatch(r.out, /RecSys/, 'no RTR citation for other data');
  const doc = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>;
  assert.deepEqual([doc.protocol, doc.k, doc.users, doc.items, doc.cutoff, doc.dataset], ['global-time', 2, 2, 4, '2024-01-11', 'store']);
  const pop = (doc.results as Record<string, Record<string, number>>).popularity;
  for (const key of ['ndcg', 'recall', 'precision', 'hitRate', 'map', 'coverage', 'trainSeconds']) assert.equal(typeof pop[key], 'number', key);
  assert.deepEqual([pop.recall, pop.precision, pop.hitRate, pop.map, pop.coverage], [1, 0.5, 1, 0.5, 0.75]);
  assert.ok(Math.abs(pop.ndcg - 1 / Math.log2(3)) < 1e-12);
  // the data dir keeps the same report as its latest evaluation (GET /v1/models/evaluation)
  const kept = await readEvaluationReport(data);
  assert.deepEqual(kept?.report, doc);
  assert.equal(kept?.command, `vitrine evaluate --data ${data} --protocol global-time --cutoff 2024-01-11 --k 2 --algorithms popularity --json ${json}`);
  assert.equal(kept?.citation, undefined, 'store data needs no citation');
});

test('--file reads an RTR CSV and prints the citation', async () => {
  const header = 'fit,user_id,item_id,rating,rented_for,category,size,body_type,age,weight_lbs,height_in,bust_size_num,bust_size_letter,review_date,recommend';
  const csv = [header, ...ROWS.map(([u, i, day]) =>
    `fit,${u},${i},10.0,party,dress,8,hourglass,30.0,130.0,65.0,34.0,b,${new Date(T0 + day * DAY_MS).toISOString().slice(0, 10)},1`)];
  const file = join(dir, 'rtr.csv');
  writeFileSync(file, `${csv.join('\n')}\n`);
  const r = await capture(['--file', file, '--protocol', 'global-time', '--cutoff', '2024-01-11', '--k', '2', '--algorithms', 'popularity,item-knn']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^popularity +0\.6309 /m);
  assert.match(r.out, /^item-knn /m);
  assert.match(r.out, /Misra, Wan & McAuley.*RecSys 2018/);
});

test('errors: typed codes exit 1 with their reason, usage errors exit 2', async () => {
  const base = ['--file', join(dir, 'rtr.csv')];
  const late = await capture([...base, '--protocol', 'global-time', '--cutoff', '2030-01-01']);
  assert.equal(late.code, 1);
  assert.match(late.err, /VITRINE_EVAL_NO_USERS: .*cutoff 2030-01-01 is after the last event 2024-01-14/);
  const bad = await capture([...base, '--protocol', 'random']);
  assert.deepEqual([bad.code, /VITRINE_EVAL_BAD_PROTOCOL/.test(bad.err)], [1, true]);
  const unknown = await capture([...base, '--protocol', 'user-time', '--algorithms', 'popularity,magic']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /VITRINE_MODEL_UNKNOWN_ALGORITHM: unknown algorithm "magic"; valid: .*ease/);
  const params = await capture([...base, '--protocol', 'user-time', '--params', '{ease:1}']);
  assert.deepEqual([params.code, /VITRINE_MODEL_BAD_PARAMS: --params is not valid JSON/.test(params.err)], [1, true]);
  assert.equal((await capture(base)).code, 2, '--protocol is required');
  assert.equal((await capture([...base, '--protocol', 'user-time', '--k', 'ten'])).code, 2);
  const help = await capture(['--help']);
  assert.deepEqual([help.code, /global-time --cutoff DATE/.test(help.out)], [0, true]);
});
