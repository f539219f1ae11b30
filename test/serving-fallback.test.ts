/**
 * Deadlines and the fallback chain, on a virtual clock (no sleeping): a late call is abandoned at its
 * deadline and its timer cleared; the chain skips what throws, hangs or returns garbage and says so;
 * with every model throwing, hanging or corrupt, a page is still served within budget + 10 ms.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeadlineExceeded, NEVER_ABORTED, withDeadline } from '../src/serving/fallback/deadline.ts';
import { runFallbackChain, SourceUnavailable } from '../src/serving/fallback/fallback-chain.ts';
import { CorruptOutput } from '../src/serving/fallback/model-output.ts';
import { composePage } from '../src/serving/page/compose/compose-page.ts';
import { NO_EXPERIMENT } from '../src/serving/page/types.ts';
import { type Fault, faulty, FakeModels, fakeWorld, item, member, TableModel, VirtualTimers } from './helpers/serving-fakes.ts';

const never = () => new Promise<never>(() => undefined);
const items = (...ids: string[]) => ({ items: ids.map((itemId) => ({ itemId })) });

describe('withDeadline', () => {
  it('returns what the task returns, and clears its timer', async () => {
    const timers = new VirtualTimers();
    let cleared = 0;
    const counting = { ...timers, now: () => timers.now(), setTimeout: timers.setTimeout.bind(timers), clearTimeout: (h: unknown) => { cleared++; timers.clearTimeout(h); } };
    assert.equal(await withDeadline(async () => 42, 100, { timers: counting }), 42);
    await assert.rejects(withDeadline(() => { throw new Error('boom'); }, 100, { timers: counting }), /boom/);
    assert.equal(cleared, 2);
  });

  it('abandons a task that hangs at its deadline, aborting its signal', async () => {
    const timers = new VirtualTimers();
    let signal: AbortSignal | undefined;
    await assert.rejects(withDeadline((s) => { signal = s; return never(); }, 80, { timers }), DeadlineExceeded);
    assert.equal(timers.now(), 80);
    assert.equal(signal?.aborted, true);
  });

  it('a parent abort ends it at once', async () => {
    const parent = new AbortController();
    parent.abort();
    await assert.rejects(withDeadline(() => never(), 1000, { timers: new VirtualTimers(), parent: parent.signal }), DeadlineExceeded);
  });
});

describe('runFallbackChain', () => {
  it('the first source that answers ends the chain, even with a short answer', async () => {
    const r = await runFallbackChain([
      { source: 'a', run: () => items('x') },
      { source: 'b', run: () => items('y', 'z') },
    ], { remainingMs: () => 100, target: 3, timers: new VirtualTimers() });
    assert.deepEqual(r.output?.items.map((i) => i.itemId), ['x']);
    assert.deepEqual(r.used, ['a']);
    assert.deepEqual(r.failures, []);
  });

  it('hands a step that takes the signal one that aborts when it is late; a step without it gets the never-aborted one', async () => {
    const timers = new VirtualTimers();
    let late: AbortSignal | undefined;
    let given: unknown;
    const r = await runFallbackChain([
      { source: 'late', run: (signal: AbortSignal) => { late = signal; return never(); } },
      // declared without parameters (length 0): no AbortController is made for it
      { source: 'plain', run: (...args: unknown[]) => { given = args[0]; return items('x'); } },
    ], { remainingMs: () => 100, target: 1, timers });
    assert.deepEqual(r.used, ['plain']);
    assert.equal(late?.aborted, true);
    assert.equal(given, NEVER_ABORTED);
    assert.equal(NEVER_ABORTED.aborted, false);
  });

  it('skips what throws, hangs or is corrupt, names each, and fills the row from the fallbacks without duplicates', async () => {
    const timers = new VirtualTimers();
    const start = timers.now();
    const r = await runFallbackChain([
      { source: 'throws', run: () => { throw new Error('boom'); } },
      { source: 'hangs', run: () => never() },
      { source: 'corrupt', run: () => { throw new CorruptOutput('NaN scores'); } },
      { source: 'absent', run: () => { throw new SourceUnavailable('no previous version'); } },
      { source: 'last-page', run: () => items('p', 'q') },
      { source: 'static', infallible: true, run: () => items('q', 'r', 's') },
    ], { remainingMs: () => 100 - (timers.now() - start), target: 3, timers });
    assert.deepEqual(r.failures.map((f) => [f.source, f.cause]), [['throws', 'error'], ['hangs', 'timeout'], ['corrupt', 'corrupt']]);
    assert.deepEqual(r.used, ['last-page', 'static']);
    assert.deepEqual(r.output?.items.map((i) => i.itemId), ['p', 'q', 'r']);
    assert.equal(timers.now(), 50, 'the hanging source had half the time left');
  });
});

const IDS = Array.from({ length: 30 }, (_, k) => `i${k}`);
const score = (id: string) => 100 - Number(id.slice(1));

for (const fault of ['throw', 'hang', 'corrupt'] as Fault[]) {
  it(`with every model failing (${fault}) a page is still served within budget + 10 ms, the fallbacks named`, async () => {
    const timers = new VirtualTimers();
    const models = new FakeModels('item-knn');
    for (const algorithm of ['item-knn', 'popularity', 'popularity-recent']) models.add(faulty(new TableModel(algorithm, IDS, score), fault));
    const w = fakeWorld({ items: IDS.map((id, k) => item(id, { createdAt: k })), models, timers });
    w.online.members.set('ann', member('ann', { recent: [{ itemId: 'i3', type: 'rent', ts: 0, weight: 1 }] }));
    const { page } = await composePage({ userId: 'ann', page: 'home', rows: 8, size: 5, variant: NO_EXPERIMENT }, w.deps);
    assert.ok(page.tookMs <= w.deps.settings.budgetMs + 10, `took ${page.tookMs} ms`);
    const forYou = page.rows.find((r) => r.kind === 'for-you');
    assert.ok(forYou && forYou.items.length === 5, 'for-you is filled from a fallback');
    const note = page.fallbacks.find((f) => f.kind === 'for-you');
    assert.ok(note, JSON.stringify(page.fallbacks));
    assert.equal(note.failed[0].source, 'current-model');
    assert.equal(note.failed[0].cause, fault === 'throw' ? 'error' : fault === 'hang' ? 'timeout' : 'corrupt');
    assert.deepEqual(note.used, ['static']);
    const ids = page.rows.flatMap((r) => r.items.map((i) => i.itemId));
    assert.equal(new Set(ids).size, ids.length);
  });
}

it('a sound previous version serves when the current one fails, and the last page comes before popularity', async () => {
  const timers = new VirtualTimers();
  const models = new FakeModels('item-knn')
    .add(faulty(new TableModel('item-knn', IDS, score), 'hang'), 'item-knn-v2')
    .add(new TableModel('item-knn', IDS, (id) => -score(id)), 'item-knn-v1', 'previous');
  const w = fakeWorld({ items: IDS.map((id) => item(id)), models, timers });
  w.online.members.set('bo', member('bo'));
  const { page } = await composePage({ userId: 'bo', page: 'home', rows: 8, size: 3, variant: { ...NO_EXPERIMENT, config: { rowOrder: 'fixed' } } }, w.deps);
  const forYou = page.rows.find((r) => r.kind === 'for-you');
  assert.deepEqual(forYou?.items.map((i) => i.itemId), ['i29', 'i28', 'i27'], "the previous version's ranking");
  assert.equal(page.modelVersion, 'item-knn-v1', 'the version behind the items served');
  assert.deepEqual(page.fallbacks.find((f) => f.kind === 'for-you')?.used, ['previous-model']);

  models.previouses.clear();
  w.lastPages.set('bo', { pageId: 'p0', userId: 'bo', ts: 0, rows: [{ rowId: 'for-you', kind: 'for-you', items: ['i7', 'i8', 'i9'] }] });
  const again = await composePage({ userId: 'bo', page: 'home', rows: 8, size: 3, variant: { ...NO_EXPERIMENT, config: { rowOrder: 'fixed' } } }, w.deps);
  assert.deepEqual(again.page.rows.find((r) => r.kind === 'for-you')?.items.map((i) => i.itemId), ['i7', 'i8', 'i9']);
  assert.equal(again.page.fallbacks.find((f) => f.kind === 'for-you')?.used[0], 'last-page');
});
