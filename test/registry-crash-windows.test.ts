/**
 * The model registry at every point a crash can cut a status change: activate, roll back, and a
 * training run that replaces the active version are each stopped after their n-th store write, for
 * every n, and the registry left behind must still have exactly one active version and at most one
 * previous. The kill -9 rounds (durability-crash.test.ts) hit these windows only by luck; here each
 * one is hit on purpose. A write that is one transaction either happened or did not: the store call
 * is the unit a SIGKILL can fall between.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { VitrineEvent } from '../src/core/types.ts';
import { trainModels } from '../src/pipeline/model-training.ts';
import { RegistryModelManager } from '../src/serving/models/model-manager.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import type { ModelRecord, Store } from '../src/storage/store.ts';

const NOW = Date.UTC(2026, 10, 28, 12);
const ALGORITHM = 'popularity';

class Crash extends Error {}

/** The store as a process that dies at its (budget + 1)-th registry write: that write and every later one fail. */
function crashingStore(store: SqliteStore, budget: number): { store: Store; writes: () => number } {
  let writes = 0;
  const write = <T extends unknown[]>(fn: (...args: T) => Promise<void>) => async (...args: T) => {
    if (writes++ >= budget) throw new Crash(`killed before registry write ${writes}`);
    return fn.apply(store, args);
  };
  const crashing = new Proxy(store, {
    get(target, prop) {
      if (prop === 'putModel') return write(target.putModel);
      if (prop === 'putModels') return write(target.putModels);
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: crashing, writes: () => writes };
}

describe('model registry: a crash between any two writes leaves one active version', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-registry-crash-'));
  const store = new SqliteStore(join(dir, 'vitrine.db'));
  let tick = NOW;
  const clock = () => (tick += 1000);
  let snapshot: ModelRecord[];
  let versions: string[];

  before(async () => {
    const events: VitrineEvent[] = Array.from({ length: 30 }, (_, k) => ({ id: `e${k}`, type: 'rent', userId: `m${k % 7}`, itemId: `i${k % 5}`, ts: NOW - 86_400_000 }));
    await store.appendEvents(events);
    for (let v = 0; v < 3; v++) await trainModels(store, dir, { algorithms: [ALGORITHM], gate: false, clock });
    snapshot = await store.listModels();
    versions = snapshot.map((r) => r.version); // newest first: active, previous, retired
    assert.deepEqual(snapshot.map((r) => r.status), ['active', 'previous', 'retired']);
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Puts the registry back as it was after the three trainings (newer versions trained by a case are dropped). */
  const restore = async () => {
    store.db.prepare('DELETE FROM models WHERE version NOT IN (?, ?, ?)').run(...versions);
    await store.putModels(snapshot);
  };

  const registryAfterCrash = async () => {
    const rows = (await store.listModels()).filter((r) => r.algorithm === ALGORITHM);
    return { active: rows.filter((r) => r.status === 'active').map((r) => r.version), previous: rows.filter((r) => r.status === 'previous').length };
  };

  const cases: Array<[string, (s: Store, manager: RegistryModelManager) => Promise<unknown>]> = [
    ['activating the retired version', (_s, manager) => manager.activate(versions[2])],
    ['rolling back', (_s, manager) => manager.rollback(ALGORITHM)],
    ['training a version that replaces the active one', (s) => trainModels(s, dir, { algorithms: [ALGORITHM], gate: false, clock })],
  ];
  for (const [name, operation] of cases) {
    it(`${name}: killed after each of its writes in turn, one active version and at most one previous`, async () => {
      let completedAfter = -1;
      for (let budget = 0; completedAfter < 0; budget++) {
        assert.ok(budget < 20, 'the operation finishes within 20 writes');
        await restore();
        const crashing = crashingStore(store, budget);
        const managerOnCrashingStore = new RegistryModelManager({ store: crashing.store, dataDir: dir, primaryAlgorithm: ALGORITHM });
        await managerOnCrashingStore.reload();
        const outcome = await operation(crashing.store, managerOnCrashingStore).then(() => 'done', (err: unknown) => {
          if (err instanceof Crash) return 'killed';
          throw err;
        });
        if (outcome === 'done') completedAfter = crashing.writes();
        const left = await registryAfterCrash();
        assert.equal(left.active.length, 1, `killed before write ${budget + 1}: active ${JSON.stringify(left.active)}`);
        assert.ok(left.previous <= 1, `killed before write ${budget + 1}: ${left.previous} previous versions`);
        // and a server starting on what is left serves that version
        const restarted = new RegistryModelManager({ store, dataDir: dir, primaryAlgorithm: ALGORITHM });
        await restarted.reload();
        assert.equal(restarted.current()?.version, left.active[0]);
      }
      assert.ok(completedAfter >= 1, 'the operation wrote to the registry');
    });
  }
});
