/**
 * The fit protocol's plumbing: the RTR CSV reader, RTR rows → FitData (rating/recommend never used),
 * the 80/10/10 split, and `vitrine evaluate-fit` end to end on a small planted RTR-format file and on
 * a store holding rentals with fit feedback. The real RTR run is a benchmark (bench/fit.bench.ts).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { gzipSync } from 'node:zlib';
import { runEvaluateFit } from '../src/cli/commands/evaluate-fit.ts';
import type { VitrineEvent } from '../src/core/types.ts';
import { splitFitRows } from '../src/eval/fit-protocol.ts';
import { parseCsvLine, readRtrCsv, RTR_COLUMNS } from '../src/eval/rtr-csv.ts';
import { rtrFitData } from '../src/eval/rtr-fit-data.ts';
import { seededRandom } from '../src/ml/fit/seeded-random.ts';
import { openStore } from '../src/storage/open-store.ts';

let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'vitrine-fit-eval-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

interface PlantedRow { fit: string; user: number; item: number; size: number; height: number; rating: number }

/** Members of true size 2…17 (height tells it), items running −3…+3, sizes rented ±2 from true. */
function plantedRows(nUsers: number, perUser: number, nItems = 40): PlantedRow[] {
  const random = seededRandom(5);
  const offset = Array.from({ length: nItems }, () => -3 + 6 * random());
  const rows: PlantedRow[] = [];
  for (let u = 0; u < nUsers; u++) {
    const t = 2 + Math.floor(random() * 16);
    for (let r = 0; r < perUser; r++) {
      const item = Math.floor(random() * nItems);
      const size = t + Math.round((random() - 0.5) * 4);
      const z = size + offset[item] - t + (random() - 0.5);
      const fit = z < -1 ? 'small' : z > 1 ? 'large' : 'fit';
      rows.push({ fit, user: u, item, size, height: 60 + t * 0.5, rating: fit === 'fit' ? 10 : 6 });
    }
  }
  return rows;
}

function rtrCsv(rows: PlantedRow[]): string {
  const lines = rows.map((r, k) =>
    [r.fit, 1000 + r.user, 5000 + r.item, r.rating.toFixed(1), k % 3 ? 'party' : 'wedding', r.item % 2 ? 'dress' : 'gown', r.size,
      k % 4 ? 'hourglass' : '', '30.0', '', r.height.toFixed(1), '34.0', 'c', '2016-04-20', r.rating === 10 ? 1 : 0].join(','));
  return `${RTR_COLUMNS.join(',')}\n${lines.join('\n')}\n`;
}

describe('RTR CSV reader', () => {
  it('parses quoted cells', () => {
    assert.deepEqual(parseCsvLine('a,"b, c","say ""hi""",,d'), ['a', 'b, c', 'say "hi"', '', 'd']);
  });

  it('streams a gzipped file into typed rows and keeps only fit-labelled ones as FitData', async () => {
    const path = join(tmp, 'three.csv.gz');
    const header = RTR_COLUMNS.join(',');
    await writeFile(path, gzipSync(`${header}\n` +
      'fit,420272,2260466,10.0,vacation,romper,14,hourglass,28.0,137.0,68.0,34.0,d,2016-04-20,1\n' +
      'small,273551,153475,,other,gown,12,"straight & narrow",36.0,,66.0,,,2013-06-18,0\n' +
      ',273551,2260466,8.0,party,gown,8,,,,,,,2014-01-01,0\n'));
    const rows = [];
    for await (const r of readRtrCsv(path)) rows.push(r);
    assert.equal(rows.length, 3);
    assert.equal(rows[0].fit, 'fit');
    assert.equal(rows[0].heightIn, 68);
    assert.equal(rows[1].bodyType, 'straight & narrow');
    assert.ok(Number.isNaN(rows[1].rating) && Number.isNaN(rows[1].weightLbs));
    assert.equal(rows[2].fit, undefined);

    const data = await rtrFitData(rows);
    assert.deepEqual([...data.labels], [1, 0]);
    assert.deepEqual([...data.sizes], [14, 12]);
    assert.deepEqual(data.userIds, ['420272', '273551']);
    const names = data.columns.map((c) => c.name);
    assert.ok(!names.includes('rating') && !names.includes('recommend'), 'outcomes of the rental are never inputs');
    const cup = data.columns.find((c) => c.name === 'cup');
    assert.ok(cup?.kind === 'numeric' && cup.values[0] === 4 && Number.isNaN(cup.values[1]));
  });

  it('refuses a missing file with a typed error', async () => {
    await assert.rejects(async () => {
      for await (const _ of readRtrCsv(join(tmp, 'absent.csv.gz'))) break;
    }, { code: 'VITRINE_IMPORT_FILE_NOT_FOUND' });
  });
});

describe('fit protocol', () => {
  it('splits 80/10/10 into disjoint parts, the same for the same seed', () => {
    const a = splitFitRows(1000, 3);
    assert.deepEqual([a.train.length, a.validation.length, a.test.length], [800, 100, 100]);
    assert.equal(new Set([...a.train, ...a.validation, ...a.test]).size, 1000);
    assert.deepEqual(splitFitRows(1000, 3), a);
    assert.notDeepEqual(splitFitRows(1000, 4).test, a.test);
  });

  it('`evaluate-fit --file` scores a planted world well above chance and writes the JSON', async () => {
    const path = join(tmp, 'planted.csv.gz');
    await writeFile(path, gzipSync(rtrCsv(plantedRows(250, 12))));
    const out = join(tmp, 'fit.json');
    const log = mock.method(console, 'log', () => {});
    let code: number;
    try {
      code = await runEvaluateFit(['--file', path, '--seeds', '2', '--json', out, '--params', '{"minLeafRows": 20}']);
    } finally {
      log.mock.restore();
    }
    assert.equal(code, 0);
    const report = JSON.parse(await readFile(out, 'utf8')) as { auc: number; perSeed: number[]; baseline: { auc: number } };
    assert.equal(report.perSeed.length, 2);
    assert.ok(report.auc > 0.85, `planted fit should be easy: AUC ${report.auc}`);
    assert.ok(report.baseline.auc > 0.7, `the latent-size baseline sees the planted sizes too: ${report.baseline.auc}`);
    const err = mock.method(console, 'error', () => {});
    try {
      assert.equal(await runEvaluateFit(['--seeds', 'zero']), 2);
    } finally {
      err.mock.restore();
    }
  });

  it('`evaluate-fit --data` reads rentals with fit feedback and member attributes from the store', async () => {
    const dir = join(tmp, 'store');
    const store = await openStore(`sqlite:${join(dir, 'vitrine.db')}`);
    const rows = plantedRows(200, 12);
    try {
      for (let u = 0; u < 200; u++) await store.upsertUser(`m${u}`, { attributes: { heightIn: rows[u * 12].height } }, 0);
      const events: VitrineEvent[] = rows.map((r, k) => ({
        id: `e${k}`, type: 'rent', userId: `m${r.user}`, itemId: `i${r.item}`, ts: 1_600_000_000_000 + k * 1000,
        size: `US ${r.size}`, fit: r.fit as VitrineEvent['fit'],
      }));
      await store.appendEvents(events);
    } finally {
      await store.close();
    }
    const lines: string[] = [];
    const log = mock.method(console, 'log', (...a: unknown[]) => lines.push(a.join(' ')));
    let code: number;
    try {
      code = await runEvaluateFit(['--data', dir, '--seeds', '1', '--params', '{"minLeafRows": 20}']);
    } finally {
      log.mock.restore();
    }
    assert.equal(code, 0);
    assert.match(lines[0], /2400 rentals with fit feedback, 200 members/);
    const mean = lines.find((l) => l.startsWith('mean'));
    assert.ok(mean && Number(mean.split(/\s+/)[1]) > 0.85, mean);
  });
});
