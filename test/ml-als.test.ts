import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { VitrineError, type ErrorCode } from '../src/core/errors.ts';
import { buildInteractions, type InteractionData } from '../src/ml/dataset.ts';
import { alsTrainer, trainAls } from '../src/ml/als/als-trainer.ts';
import type { AlsModel } from '../src/ml/als/als-model.ts';
import { invertSpd } from '../src/ml/als/cholesky.ts';
import { buildConfidenceMatrices } from '../src/ml/als/confidence-matrices.ts';
import { exactScratch, solveNormalEquations, WOODBURY_MAX_ENTRIES } from '../src/ml/als/exact-solve.ts';
import { FoldInSolver } from '../src/ml/als/fold-in.ts';
import { gramWithRegularization } from '../src/ml/als/gramian.ts';
import { seededUniform } from '../src/ml/common/rng.ts';
import { alsLoss } from '../src/ml/als/loss.ts';
import type { AlsParams } from '../src/ml/als/params.ts';

/**
 * Two communities of 30 members: A members rent A0..A11, B members B0..B11, each missing a few of
 * their community's items; every third member also rents one item of the other community (noise).
 * Planted: u0 (A) has every A item but A3, u1 (B) every B item but B5.
 */
function twoCommunities(): { data: InteractionData; seen: (user: string) => Set<string> } {
  const rows: { user: string; item: string; ts: number }[] = [];
  for (let u = 0; u < 60; u++) {
    const [own, other] = u % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
    for (let i = 0; i < 12; i++) {
      const planted = u === 0 ? i === 3 : u === 1 ? i === 5 : (i + u) % 5 === 0;
      if (!planted) rows.push({ user: `u${u}`, item: `${own}${i}`, ts: rows.length });
    }
    if (u % 3 === 0) rows.push({ user: `u${u}`, item: `${other}${(u * 7) % 12}`, ts: rows.length });
  }
  const data = buildInteractions(rows);
  const seen = (user: string): Set<string> => new Set(rows.filter((r) => r.user === user).map((r) => r.item));
  return { data, seen };
}

const SMALL: Partial<AlsParams> = { factors: 4, iterations: 10, threads: 1 };

async function rejectsWith(p: Promise<unknown> | (() => unknown), code: ErrorCode): Promise<void> {
  await assert.rejects(async () => (typeof p === 'function' ? p() : p), (e: unknown) => e instanceof VitrineError && e.code === code);
}

describe('als: known answers on two communities', () => {
  const { data, seen } = twoCommunities();

  for (const solver of ['cg', 'exact'] as const) {
    it(`${solver}: the held-out item of the member's community ranks first`, async () => {
      const model = await trainAls({ interactions: data }, { ...SMALL, solver });
      assert.equal(model.recommend({ userId: 'u0' }, 5, { exclude: seen('u0') })[0].itemId, 'A3');
      assert.equal(model.recommend({ userId: 'u1' }, 5, { exclude: seen('u1') })[0].itemId, 'B5');
      // the most similar items to an A item are the other A items
      const similar = model.similar('A1', 6).map((s) => s.itemId);
      assert.ok(similar.every((id) => id.startsWith('A') && id !== 'A1'), similar.join(','));
    });
  }

  it('fold-in of a member\'s own interactions recommends what the trained member gets', async () => {
    const model = (await trainAls({ interactions: data }, { ...SMALL, solver: 'exact' })) as AlsModel;
    for (const user of ['u0', 'u2', 'u7']) {
      const interactions = [...seen(user)].map((itemId) => ({ itemId }));
      const trained = model.recommend({ userId: user }, 3, { exclude: seen(user) }).map((s) => s.itemId);
      const folded = model.recommend({ interactions }, 3, { exclude: seen(user) }).map((s) => s.itemId);
      assert.deepEqual(folded, trained, user);
      const x = model.foldIn(interactions);
      const t = model.userVector({ userId: user });
      assert.ok(cosine(x, t) > 0.999, `${user}: cosine ${cosine(x, t)}`);
    }
    // items the model never saw are ignored and counted
    const report = model.foldInWithReport([{ itemId: 'A1' }, { itemId: 'new-1' }, { itemId: 'new-2' }]);
    assert.equal(report.unknownItems, 2);
    assert.equal(report.usedItems, 1);
    assert.ok(report.vector.some((v) => v !== 0));
    assert.deepEqual([...model.foldIn([{ itemId: 'nope' }])], new Array(model.k).fill(0));
    await rejectsWith(() => model.recommend({ interactions: [{ itemId: 'nope' }] }, 3), 'VITRINE_MODEL_UNKNOWN_USER');
  });

  it('prepareForServing computes the fold-in Gram once, up front, and folds in exactly as without it', async () => {
    const lazy = (await trainAls({ interactions: data }, { ...SMALL, solver: 'exact' })) as AlsModel;
    const eager = (await trainAls({ interactions: data }, { ...SMALL, solver: 'exact' })) as AlsModel;
    assert.equal(eager.foldInPrepared, false, 'nothing computed until asked');
    eager.prepareForServing();
    assert.equal(eager.foldInPrepared, true);
    const interactions = [...seen('u7')].map((itemId) => ({ itemId }));
    assert.equal(lazy.foldInPrepared, false);
    assert.deepEqual([...eager.foldIn(interactions)], [...lazy.foldIn(interactions)]);
    assert.equal(lazy.foldInPrepared, true, 'the first fold-in computes it otherwise');
  });

  it('cg and exact agree: cg run to convergence is exact, 3 steps land within 5% of its loss', async () => {
    const m = buildConfidenceMatrices(data, 20);
    // 5 factors: the scalar float64 path (and its non-multiple-of-4 tails), exact after k steps;
    // 4 factors: the float32 SIMD kernels, which lose conjugacy sooner and need a few more steps
    for (const [factors, cgSteps, tolerance] of [[5, 5, 1e-4], [4, 12, 1e-3]]) {
      const exact = await trainAls({ interactions: data }, { ...SMALL, factors, solver: 'exact' });
      const full = await trainAls({ interactions: data }, { ...SMALL, factors, solver: 'cg', cgSteps });
      assert.equal(full.manifest.extra?.simd, factors === 4);
      let maxDiff = 0;
      for (const user of data.userIds) {
        const a = exact.score({ userId: user }, data.itemIds);
        const b = full.score({ userId: user }, data.itemIds);
        for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
      }
      assert.ok(maxDiff < tolerance, `${factors} factors: max score difference ${maxDiff}`);
    }
    const loss: Record<string, number> = {};
    for (const solver of ['cg', 'exact'] as const) {
      await trainAls({ interactions: data }, { ...SMALL, solver }, {}, (_, f) => (loss[solver] = alsLoss(m, f, 0.1)));
    }
    assert.ok(Math.abs(loss.cg - loss.exact) < 0.05 * loss.exact, `cg ${loss.cg} vs exact ${loss.exact}`);
  });

  it('training loss decreases at every iteration (both solvers)', async () => {
    const m = buildConfidenceMatrices(data, 20);
    for (const solver of ['cg', 'exact'] as const) {
      const losses: number[] = [];
      await trainAls({ interactions: data }, { ...SMALL, solver, iterations: 8 }, {}, (_, f) => losses.push(alsLoss(m, f, 0.1)));
      for (let it = 1; it < losses.length; it++) assert.ok(losses[it] < losses[it - 1], `${solver}: ${losses.join(' ')}`);
      assert.ok(losses[losses.length - 1] < 0.5 * losses[0], `${solver}: ${losses.join(' ')}`);
    }
  });

  it('is deterministic by seed, whatever the thread count (one thread vs two workers)', async () => {
    const one = (await trainAls({ interactions: data }, { ...SMALL, seed: 7 })) as AlsModel;
    const again = (await trainAls({ interactions: data }, { ...SMALL, seed: 7 })) as AlsModel;
    const workers = (await trainAls({ interactions: data }, { ...SMALL, seed: 7, threads: 2 })) as AlsModel;
    const other = (await trainAls({ interactions: data }, { ...SMALL, seed: 8 })) as AlsModel;
    assert.deepEqual(again.userFactors, one.userFactors);
    assert.deepEqual(workers.userFactors, one.userFactors);
    assert.deepEqual(workers.itemFactors, one.itemFactors);
    assert.equal(workers.manifest.extra?.threads, 2);
    assert.notDeepEqual(other.itemFactors, one.itemFactors);
  });

  it('round-trips through its artifact with identical scores, and refuses a tampered one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vitrine-als-'));
    try {
      const model = await alsTrainer.train({ interactions: data }, SMALL);
      await model.save(dir);
      const loaded = await alsTrainer.load(dir);
      assert.equal(loaded.manifest.formatVersion, 1);
      assert.deepEqual(loaded.manifest.params, model.manifest.params);
      for (const user of ['u0', 'u1', 'u33']) {
        assert.deepEqual(loaded.recommend({ userId: user }, 10), model.recommend({ userId: user }, 10));
        assert.deepEqual(loaded.score({ userId: user }, ['A3', 'B5', 'zz']), model.score({ userId: user }, ['A3', 'B5', 'zz']));
      }
      assert.deepEqual(loaded.similar('B2', 5), model.similar('B2', 5));
      const interactions = [{ itemId: 'A1' }, { itemId: 'A2', weight: 2 }];
      assert.deepEqual(loaded.foldIn?.(interactions), model.foldIn?.(interactions));
      await writeFile(join(dir, 'itemFactors.bin'), new Uint8Array(16));
      await rejectsWith(alsTrainer.load(dir), 'VITRINE_MODEL_ARTIFACT_CORRUPT');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports progress and stops between iterations when aborted', async () => {
    const fractions: number[] = [];
    await trainAls({ interactions: data }, { ...SMALL, iterations: 4 }, { onProgress: (f) => fractions.push(f) });
    assert.deepEqual(fractions, [0, 0.25, 0.5, 0.75, 1]);
    const controller = new AbortController();
    let iterations = 0;
    const run = trainAls({ interactions: data }, { ...SMALL, iterations: 50 }, {
      signal: controller.signal,
      onProgress: (f) => { if (f > 0 && ++iterations === 2) controller.abort(); },
    });
    await rejectsWith(run, 'VITRINE_MODEL_ABORTED');
    assert.equal(iterations, 2);
  });
});

describe('als: row solvers', () => {
  it('the Woodbury path for rows with few entries gives the direct Cholesky solution', () => {
    const k = 7;
    const next = seededUniform(3);
    const source = Float32Array.from({ length: 40 * k }, () => next() - 0.5);
    const gram = gramWithRegularization(source, k, 0.1);
    const inverse = new Float64Array(k * k);
    invertSpd(gram, k, inverse);
    for (let n = 1; n <= WOODBURY_MAX_ENTRIES; n++) {
      const indices = Int32Array.from({ length: n }, (_, j) => (j * 3 + n) % 40);
      const conf = Float32Array.from({ length: n }, () => 1 + 20 * next());
      const lowRank = Float64Array.from(solveNormalEquations(source, k, gram, inverse, indices, conf, 0, n, exactScratch(k)));
      const direct = solveNormalEquations(source, k, gram, undefined, indices, conf, 0, n, exactScratch(k));
      for (let f = 0; f < k; f++) assert.ok(Math.abs(lowRank[f] - direct[f]) < 1e-9 * (1 + Math.abs(direct[f])), `n = ${n}`);
    }
  });

  it('fold-in of many interactions (SIMD rank update, float32) matches the float64 direct solve', () => {
    const k = 8;
    const next = seededUniform(5);
    const items = Float32Array.from({ length: 300 * k }, () => next() - 0.5);
    const gram = gramWithRegularization(items, k, 0.1);
    const picked = Int32Array.from({ length: 280 }, (_, j) => j); // > one batch of 256 rows
    const weights = Float32Array.from(picked, () => 0.5 + next());
    const conf = Float32Array.from(weights, (w) => 1 + 20 * w);
    const viaKernel = new FoldInSolver(items, k, 0.1, 20).solve(picked, weights);
    const direct = solveNormalEquations(items, k, gram, undefined, picked, conf, 0, picked.length, exactScratch(k));
    for (let f = 0; f < k; f++) assert.ok(Math.abs(viaKernel[f] - direct[f]) < 1e-4 * (1 + Math.abs(direct[f])), `${viaKernel[f]} vs ${direct[f]}`);
  });
});

describe('als: typed errors', () => {
  const { data } = twoCommunities();

  it('refuses empty data and bad parameters', async () => {
    await rejectsWith(alsTrainer.train({ interactions: buildInteractions([]) }), 'VITRINE_MODEL_EMPTY_DATA');
    const noPositive = buildInteractions([{ user: 'a', item: 'x', ts: 0, weight: 0 }, { user: 'b', item: 'y', ts: 0, weight: -1 }]);
    await rejectsWith(alsTrainer.train({ interactions: noPositive }), 'VITRINE_MODEL_EMPTY_DATA');
    for (const bad of [{ factors: 0 }, { factors: NaN }, { factors: 2.5 }, { regularization: -1 }, { alpha: NaN }, { cgSteps: 0 }]) {
      await rejectsWith(alsTrainer.train({ interactions: data }, bad), 'VITRINE_MODEL_BAD_PARAMS');
    }
    await rejectsWith(alsTrainer.train({ interactions: data }, { solver: 'svd' } as unknown as Partial<AlsParams>), 'VITRINE_MODEL_BAD_PARAMS');
  });

  it('names unknown members, unknown items and malformed vectors', async () => {
    const model = await alsTrainer.train({ interactions: data }, SMALL);
    await rejectsWith(() => model.recommend({ userId: 'stranger' }, 3), 'VITRINE_MODEL_UNKNOWN_USER');
    await rejectsWith(() => model.similar('no-such-item', 3), 'VITRINE_MODEL_UNKNOWN_ITEM');
    await rejectsWith(() => model.recommend({ vector: new Float32Array(3) }, 3), 'VITRINE_MODEL_BAD_EMBEDDING');
    assert.ok(Number.isNaN(model.score({ userId: 'u0' }, ['no-such-item'])[0]));
  });
});

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let f = 0; f < a.length; f++) {
    ab += a[f] * b[f];
    aa += a[f] * a[f];
    bb += b[f] * b[f];
  }
  return ab / Math.sqrt(aa * bb);
}
