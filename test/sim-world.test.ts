import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { runGenerate } from '../src/cli/commands/generate.ts';
import { VitrineError } from '../src/core/errors.ts';
import { isRejection, validateEvent } from '../src/core/validate-event.ts';
import { isInputRejection, validateItemWithId, validateUser } from '../src/core/validate-input.ts';
import { toEpochMs } from '../src/core/time.ts';
import { MAX_HELD } from '../src/sim/world/behaviour.ts';
import { collectWorld, resolveWorldOptions } from '../src/sim/world/generate.ts';
import { SIZE_CHART } from '../src/sim/world/size-chart.ts';
import { WORLD_FILES, writeWorld } from '../src/sim/world/write-world.ts';

type Collected = Awaited<ReturnType<typeof collectWorld>>;
const SMALL = { users: 400, items: 200, days: 60, seed: 11 };

let world: Collected;
let tmp: string;
before(async () => {
  world = await collectWorld(SMALL);
  tmp = await mkdtemp(join(tmpdir(), 'vitrine-world-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const ms = (iso: string): number => toEpochMs(iso) as number;
const cosine = (a: number[], b: number[]): number => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < a.length; k++) {
    dot += a[k] * b[k];
    na += a[k] * a[k];
    nb += b[k] * b[k];
  }
  return dot / Math.sqrt(na * nb);
};

async function readWorldDir(dir: string): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const file of Object.values(WORLD_FILES)) out[file] = await readFile(join(dir, file));
  return out;
}

describe('world generation is deterministic by seed', () => {
  it('writes byte-identical files for the same options, and the library yields the same events', async () => {
    const a = join(tmp, 'a');
    const b = join(tmp, 'b');
    await writeWorld(SMALL, a);
    await writeWorld(SMALL, b);
    const filesA = await readWorldDir(a);
    const filesB = await readWorldDir(b);
    for (const file of Object.values(WORLD_FILES)) assert.ok(filesA[file].equals(filesB[file]), `${file} differs`);
    const lines = filesA[WORLD_FILES.events].toString('utf8').trimEnd().split('\n');
    assert.equal(lines.length, world.events.length);
    assert.equal(lines[0], JSON.stringify(world.events[0]));
    assert.equal(lines.at(-1), JSON.stringify(world.events.at(-1)));
    assert.deepEqual((await readdir(join(a, 'latent'))).sort(), ['items.jsonl', 'members.jsonl']);
  });

  it('gives a different world for a different seed', async () => {
    const other = await collectWorld({ ...SMALL, seed: 12 });
    assert.notDeepEqual(other.items.map((i) => i.title), world.items.map((i) => i.title));
    assert.notEqual(other.events.length, world.events.length);
  });

  it('keeps the catalogue when only the number of members changes (separate random streams)', async () => {
    const fewer = await collectWorld({ ...SMALL, users: 50 });
    assert.deepEqual(fewer.items, world.items);
  });
});

describe('events', () => {
  it('every event passes validateEvent, ids are unique, and the file is sorted by ts', () => {
    const ids = new Set<string>();
    let last = 0;
    for (const e of world.events) {
      const v = validateEvent(JSON.parse(JSON.stringify(e)), { now: Date.UTC(2100, 0, 1), futureToleranceMs: 0 });
      assert.ok(!isRejection(v), `${e.id}: ${isRejection(v) ? v.message : ''}`);
      assert.ok(!ids.has(e.id), `duplicate id ${e.id}`);
      ids.add(e.id);
      assert.ok(v.ts >= last, `${e.id} out of order`);
      last = v.ts;
    }
    assert.ok(world.events.length > 10_000, `only ${world.events.length} events`);
    const counts = world.meta.counts.byType;
    for (const type of ['impression', 'view', 'heart', 'rent', 'return', 'purchase', 'dismiss'] as const) {
      assert.ok(counts[type] > 0, `no ${type} events`);
    }
  });

  it('no member holds more than MAX_HELD items; a return or purchase always follows a rent of that item', () => {
    const held = new Map<string, Map<string, string>>(); // user → item → size
    const outstanding = new Map<string, number>(); // item|size → units out
    const stock = new Map(world.items.map((i) => [i.id, i]));
    for (const e of world.events) {
      const mine = held.get(e.userId) ?? new Map<string, string>();
      held.set(e.userId, mine);
      if (e.type === 'rent') {
        const item = stock.get(e.itemId as string);
        assert.ok(item, `rent of unknown item ${e.itemId}`);
        assert.ok(!mine.has(item.id), `${e.userId} rents ${item.id} twice at once`);
        assert.ok((item.sizes[e.size as string] ?? 0) > 0, `${item.id} is not stocked in size ${e.size}`);
        assert.ok(item.availableFrom <= ms(e.ts), `${item.id} rented before it arrived`);
        const key = `${item.id}|${e.size}`;
        const out = (outstanding.get(key) ?? 0) + 1;
        assert.ok(out <= item.sizes[e.size as string], `more units of ${key} out than exist`);
        outstanding.set(key, out);
        mine.set(item.id, e.size as string);
        assert.ok(mine.size <= MAX_HELD, `${e.userId} holds ${mine.size} items`);
      } else if (e.type === 'return' || e.type === 'purchase') {
        const size = mine.get(e.itemId as string);
        assert.equal(size, e.size, `${e.type} of ${e.itemId} by ${e.userId} without a matching rent`);
        mine.delete(e.itemId as string);
        if (e.type === 'return') outstanding.set(`${e.itemId}|${size}`, (outstanding.get(`${e.itemId}|${size}`) ?? 0) - 1);
      }
    }
  });

  it('rents are mostly in a size the member lists, and never more than one size away', () => {
    const users = new Map(world.users.map((u) => [u.id, u]));
    let rents = 0;
    let listed = 0;
    for (const e of world.events) {
      if (e.type !== 'rent') continue;
      rents++;
      const sizes = (users.get(e.userId)?.sizes ?? []).map((s) => SIZE_CHART.indexOf(s));
      const idx = SIZE_CHART.indexOf(e.size as string);
      if (sizes.includes(idx)) listed++;
      assert.ok(sizes.some((s) => Math.abs(s - idx) <= 1), `${e.userId} rented size ${e.size}`);
    }
    assert.ok(rents > 500, `only ${rents} rents`);
    assert.ok(listed / rents >= 0.85, `only ${(100 * listed / rents).toFixed(1)}% in listed sizes`);
  });

  it('fit feedback follows true size against the item size offset (known answer)', () => {
    const trueSize = new Map(world.latentMembers.map((m) => [m.id, m.trueSize]));
    const offset = new Map(world.latentItems.map((i) => [i.id, i.sizeOffset]));
    // rows: worn larger than the body / smaller / about right, by label alone and with the offset
    const tally = { labelAbove: { large: 0, n: 0 }, labelBelow: { large: 0, n: 0 }, above: { large: 0, small: 0, n: 0 },
      below: { large: 0, small: 0, n: 0 }, near: { fit: 0, n: 0 } };
    for (const e of world.events) {
      if (e.type !== 'return' && e.type !== 'purchase') continue;
      const label = Number(e.size) - (trueSize.get(e.userId) as number);
      const effective = label + 2 * (offset.get(e.itemId as string) as number);
      const byLabel = label > 1 ? tally.labelAbove : label < -1 ? tally.labelBelow : undefined;
      if (byLabel) {
        byLabel.n++;
        if (e.fit === 'large') byLabel.large++;
      }
      if (effective > 2.5) {
        tally.above.n++;
        if (e.fit === 'large') tally.above.large++;
        if (e.fit === 'small') tally.above.small++;
      } else if (effective < -2.5) {
        tally.below.n++;
        if (e.fit === 'large') tally.below.large++;
        if (e.fit === 'small') tally.below.small++;
      } else if (Math.abs(effective) < 1) {
        tally.near.n++;
        if (e.fit === 'fit') tally.near.fit++;
      }
    }
    const rate = (k: number, n: number): number => k / Math.max(1, n);
    assert.ok(tally.labelAbove.n > 50 && tally.labelBelow.n > 50, JSON.stringify(tally));
    assert.ok(rate(tally.labelAbove.large, tally.labelAbove.n) > 2 * rate(tally.labelBelow.large, tally.labelBelow.n), JSON.stringify(tally));
    assert.ok(rate(tally.above.large, tally.above.n) > 0.5 && rate(tally.above.small, tally.above.n) < 0.02, JSON.stringify(tally));
    assert.ok(rate(tally.below.small, tally.below.n) > 0.5 && rate(tally.below.large, tally.below.n) < 0.02, JSON.stringify(tally));
    assert.ok(rate(tally.near.fit, tally.near.n) > 0.8, JSON.stringify(tally));
  });

  it('members view items of their own archetype far more often than others', () => {
    const memberArchetype = new Map(world.latentMembers.map((m) => [m.id, m.archetype]));
    const itemArchetype = new Map(world.latentItems.map((i) => [i.id, i.archetype]));
    const seen = { same: [0, 0], other: [0, 0] };
    for (const e of world.events) {
      if (e.type !== 'impression' && e.type !== 'view') continue;
      const bucket = memberArchetype.get(e.userId) === itemArchetype.get(e.itemId as string) ? seen.same : seen.other;
      bucket[e.type === 'impression' ? 0 : 1]++;
    }
    const same = seen.same[1] / seen.same[0];
    const other = seen.other[1] / seen.other[0];
    assert.ok(same > 3 * other, `view rate ${same.toFixed(3)} (own archetype) vs ${other.toFixed(3)}`);
  });

  it('members act only between joining and cancelling', () => {
    const latent = new Map(world.latentMembers.map((m) => [m.id, m]));
    const lastEvent = new Map<string, number>();
    for (const e of world.events) {
      const t = ms(e.ts);
      const m = latent.get(e.userId);
      assert.ok(m && t >= m.joinedAt, `${e.userId} acts before joining`);
      if (m.churnedAt !== undefined) assert.ok(t < m.churnedAt, `${e.userId} acts after cancelling`);
      lastEvent.set(e.userId, t);
    }
    const churned = world.latentMembers.filter((m) => m.churnedAt !== undefined);
    assert.ok(churned.length > 10, `only ${churned.length} members cancelled`);
    assert.equal(churned.length, world.meta.counts.churned);
  });
});

describe('catalogue and members', () => {
  it('content embeddings are closer within an archetype than across archetypes', () => {
    const byArchetype = new Map<string, number[][]>();
    const latent = new Map(world.latentItems.map((i) => [i.id, i.archetype]));
    for (const item of world.items) {
      assert.equal(item.embedding.length, 32);
      const a = latent.get(item.id) as string;
      byArchetype.set(a, [...(byArchetype.get(a) ?? []), item.embedding]);
    }
    let same = 0;
    let nSame = 0;
    let other = 0;
    let nOther = 0;
    const groups = [...byArchetype.values()];
    for (let g = 0; g < groups.length; g++) {
      for (let h = g; h < groups.length; h++) {
        for (let x = 0; x < Math.min(10, groups[g].length); x++) {
          for (let y = 0; y < Math.min(10, groups[h].length); y++) {
            if (g === h && x >= y) continue;
            const c = cosine(groups[g][x], groups[h][y]);
            if (g === h) {
              same += c;
              nSame++;
            } else {
              other += c;
              nOther++;
            }
          }
        }
      }
    }
    assert.ok(same / nSame > 0.6, `same-archetype cosine ${same / nSame}`);
    assert.ok(same / nSame - other / nOther > 0.4, `same ${same / nSame} vs other ${other / nOther}`);
  });

  it('every item and member profile passes the API validators', () => {
    for (const item of world.items) {
      const v = validateItemWithId(JSON.parse(JSON.stringify(item)));
      assert.ok(!isInputRejection(v), `${item.id}: ${isInputRejection(v) ? v.message : ''}`);
    }
    for (const { id, ...profile } of world.users) {
      const v = validateUser(JSON.parse(JSON.stringify(profile)));
      assert.ok(!isInputRejection(v), `${id}: ${isInputRejection(v) ? v.message : ''}`);
    }
    assert.ok(world.users.some((u) => (u.upcoming ?? []).length > 0));
  });

  it('items carry the PUT /v1/items fields, a few units in some sizes, and arrivals over the period', () => {
    const start = Date.UTC(2024, 0, 1);
    let atStart = 0;
    for (const item of world.items) {
      assert.match(item.title, new RegExp(`^${item.brand.replace(/[&]/g, '\\&')} `));
      const units = Object.values(item.sizes);
      assert.ok(units.length > 0 && units.length < SIZE_CHART.length + 1);
      assert.ok(units.every((u) => u >= 1 && u <= 3));
      if (item.availableFrom === start) atStart++;
    }
    assert.ok(atStart > 0.4 * world.items.length && atStart < world.items.length);
  });

  it('coats are rented more in winter than in summer (seasonality)', async () => {
    const year = await collectWorld({ users: 300, items: 300, days: 365, seed: 5 });
    const coats = new Set(year.items.filter((i) => i.category === 'coat' || i.category === 'sweater').map((i) => i.id));
    // shares of all rents, so that the membership growing over the year does not count as season
    const rents = { winter: 0, summer: 0, winterCoats: 0, summerCoats: 0 };
    for (const e of year.events) {
      if (e.type !== 'rent') continue;
      const month = Number(e.ts.slice(5, 7));
      const season = month <= 2 || month === 12 ? 'winter' : month >= 6 && month <= 8 ? 'summer' : undefined;
      if (!season) continue;
      rents[season]++;
      if (coats.has(e.itemId as string)) rents[season === 'winter' ? 'winterCoats' : 'summerCoats']++;
    }
    const winter = rents.winterCoats / rents.winter;
    const summer = rents.summerCoats / rents.summer;
    assert.ok(winter > 1.5 * summer, `coat share of rents: winter ${winter} vs summer ${summer}`);
  });
});

describe('options and the generate command', () => {
  it('rejects bad options with VITRINE_SIM_BAD_OPTIONS', () => {
    for (const bad of [{ users: 0 }, { items: 1.5 }, { days: -1 }, { seed: -3 }, { start: 'tomorrow' }]) {
      assert.throws(() => resolveWorldOptions({ ...SMALL, ...bad }), (err: unknown) =>
        err instanceof VitrineError && err.code === 'VITRINE_SIM_BAD_OPTIONS');
    }
    assert.equal(resolveWorldOptions({ ...SMALL, start: '2023-05-17T13:00:00Z' }).startMs, Date.UTC(2023, 4, 17));
  });

  it('runGenerate writes a world, answers --help, and refuses missing flags with exit code 2', async (t) => {
    const log = t.mock.method(console, 'log', () => undefined);
    const error = t.mock.method(console, 'error', () => undefined);
    const out = join(tmp, 'cli');
    const code = await runGenerate(['--users', '30', '--items', '40', '--days', '5', '--seed', '3', '--out', out, '--start', '2024-06-01']);
    assert.equal(code, 0);
    const meta = JSON.parse(await readFile(join(out, 'world.json'), 'utf8'));
    assert.equal(meta.args.start, '2024-06-01');
    assert.equal(meta.counts.users, 30);
    const users = (await readFile(join(out, 'users.jsonl'), 'utf8')).trimEnd().split('\n');
    assert.equal(users.length, 30);
    assert.equal(await runGenerate(['--help']), 0);
    assert.match(String(log.mock.calls.at(-1)?.arguments[0]), /^vitrine generate --users N/);
    assert.equal(await runGenerate(['--users', '3']), 2);
    assert.equal(await runGenerate(['--users', 'x', '--items', '4', '--days', '2', '--seed', '1', '--out', out]), 1);
    assert.ok(error.mock.calls.length >= 2);
    mock.restoreAll();
  });
});
