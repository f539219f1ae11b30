import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { importMovieLens } from '../src/pipeline/import/index.ts';
import { badLines, fixture, freshStore, tempDir } from './helpers/import-fixtures.ts';

const dir = tempDir('vitrine-import-ml-');

describe('importMovieLens, ratings.csv + movies.csv', () => {
  it('turns every rating into a review event and catalogues the rated movies with genres as tags', async () => {
    const store = freshStore(dir);
    const s = await importMovieLens(store, fixture('ml-latest', 'ratings.csv'));
    assert.deepEqual([s.rows, s.events, s.members, s.items, s.skipped], [8, 6, 3, 4, 0]);
    assert.deepEqual(badLines(s), ['6 VITRINE_IMPORT_BAD_ROW', '7 VITRINE_IMPORT_BAD_ROW']);
    const [e] = await store.userEvents('2');
    assert.deepEqual([e.id, e.type, e.itemId, e.rating, e.ts], ['ml-2-1', 'review', '1', 5, 964983815000]);
    const toy = await store.getItem('1');
    assert.deepEqual([toy?.title, toy?.category, toy?.tags, toy?.attributes, toy?.placeholder],
      ['Toy Story (1995)', 'movie', ['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy'], { year: 1995 }, false]);
    const unknown = await store.getItem('999');
    assert.deepEqual([unknown?.title, unknown?.category, unknown?.tags], ['movie 999', 'movie', []]);
    assert.equal(await store.getItem('50'), null, 'a movie rated only on a bad row is not catalogued');
    await store.close();
  });

  it('--min-rating keeps ratings at or above it and counts the rest as skipped, not bad', async () => {
    const store = freshStore(dir);
    const s = await importMovieLens(store, fixture('ml-latest', 'ratings.csv'), { minRating: 4 });
    assert.deepEqual([s.events, s.skipped, s.badRows.total, s.members, s.items], [4, 2, 2, 3, 3]);
    assert.equal(await store.getItem('6'), null, 'Heat was only rated below 4');
    assert.deepEqual((await store.userEvents('1')).map((e) => e.id).sort(), ['ml-1-1', 'ml-1-3']);
    await store.close();
  });

  it('is idempotent, and a later run with a lower --min-rating adds only what was skipped', async () => {
    const store = freshStore(dir);
    await importMovieLens(store, fixture('ml-latest', 'ratings.csv'), { minRating: 4 });
    const all = await importMovieLens(store, fixture('ml-latest', 'ratings.csv'));
    assert.deepEqual([all.events, all.duplicates], [2, 4]);
    const again = await importMovieLens(store, fixture('ml-latest', 'ratings.csv'));
    assert.deepEqual([again.events, again.duplicates], [0, 6]);
    assert.equal(await store.countEvents(), 6);
    await store.close();
  });

  it('titles movies "movie <id>" when no movies.csv is beside the ratings', async () => {
    const alone = join(dir, 'alone');
    mkdirSync(alone);
    copyFileSync(fixture('ml-latest', 'ratings.csv'), join(alone, 'ratings.csv'));
    const store = freshStore(dir);
    const s = await importMovieLens(store, join(alone, 'ratings.csv'));
    assert.equal((await store.getItem('1'))?.title, 'movie 1');
    assert.match(s.notes.join('\n'), /no movies\.csv/);
    await store.close();
  });
});

describe('importMovieLens, ml-100k u.data + u.item', () => {
  it('reads tab-separated ratings and Latin-1 titles with genre flags', async () => {
    const store = freshStore(dir);
    const s = await importMovieLens(store, fixture('ml-100k', 'u.data'));
    assert.deepEqual([s.rows, s.events, s.members, s.items], [6, 5, 4, 4]);
    assert.deepEqual(badLines(s), ['7 VITRINE_IMPORT_BAD_ROW']); // line 4 is blank, not a row
    const cafe = await store.getItem('377');
    assert.deepEqual([cafe?.title, cafe?.tags], ['Café au Lait (1994)', ["Children's", 'Comedy']]);
    assert.deepEqual((await store.getItem('302'))?.tags, ['Crime', 'Film-Noir', 'Mystery', 'Thriller']);
    assert.equal((await store.getItem('51'))?.title, 'movie 51');
    const events = await store.userEvents('196');
    assert.deepEqual(events.map((e) => [e.id, e.rating]), [['ml-196-302', 5], ['ml-196-242', 3]]);
    await store.close();
  });
});
