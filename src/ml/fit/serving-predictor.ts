/**
 * The fit model in its serving shape: one member, many items (a page), one size. It computes the same
 * features as fit-features.ts, in the same order and with the same arithmetic, so its probabilities
 * equal `FitModel.predictRows` bit for bit (test/ml-fit-serving-predictor.test.ts) — but
 * - what depends only on the member and the size (size, member columns and their level stats, the
 *   member's history, the body size) is computed once per call into a template row, which the
 *   compiled forest reads directly (it is not copied into every row);
 * - what depends only on the item (its columns and their level stats, its history, its residuals
 *   against the body size) is computed once per item for the model's life (itemCache);
 * - item × size and member × category groups are found by scanning the owner's few groups
 *   (groups-by-owner.ts), not by a Map lookup of a composite key per row; an item × size group's
 *   features are kept per item and size once computed;
 * - rows are written row-major into a reused buffer and scored by the forest compiled to code
 *   (most of the gain): to WebAssembly (gbdt/wasm-forest.ts, whose memory holds the rows, the
 *   template and the scores), or walked as arrays (gbdt/forest.ts) on an engine without it;
 *   nothing but the output is allocated.
 *
 * Trade-off (memory for speed), all built on the first call and kept for the model's life: the
 * owner indexes, 8 bytes per item × size group and per member × category group plus 4 bytes per item
 * and per member (RTR model: 31k + 144k groups, 106k members, 6k items → 1.8 MB, less than its
 * tables); the item cache, (items + 1) × (item features + 3) × 8 bytes (with one item-scope
 * categorical column, as in RTR and the pipeline's models: 88 bytes an item, RTR 0.5 MB — about what
 * the model's own per-item tables take); the item × size features, 24 bytes per item per size step asked
 * (a page's members ask a handful of sizes: 20k items × 8 sizes = 3.8 MB; 64 sizes at most); the compiled forest (~15 bytes of WebAssembly a node plus its
 * machine code; RTR 11k nodes); a scratch of CHUNK rows × features × 8 bytes (128 × 43 × 8 ≈ 44 KB).
 * The first call pays for building them (RTR: ~50 ms; a world model: ~10 ms) and the first pages
 * for the engine optimising the row writers: FitModel.warmServing (run by fitTrainer.load).
 * This is valid because a FitModel never changes after training or loading: nothing writes its parts
 * (a new model is a new FitModel, with its own predictor). Whoever makes parts mutable must drop this.
 */
import { predictBodySize } from './body-size.ts';
import { LARGE, SMALL, type FitColumn, type FitData } from './fit-data.ts';
import type { FitModelParts } from './fit-model-codec.ts';
import type { FitFeatureValues } from './fit-model.ts';
import { itemSizeKey, userCategoryKey } from './fit-tables.ts';
import { addForestScoresWithShared, softmaxRows } from './gbdt/forest.ts';
import { compileForestToWasm } from './gbdt/wasm-forest.ts';
import { groupOf, groupsByOwner, type GroupsByOwner } from './groups-by-owner.ts';
import type { GroupStats } from './group-stats.ts';
import { latentZ, ordinalProbs } from './latent-size.ts';

/** rows featurised and walked at a time: the row buffer stays in L2 whatever the batch size */
const CHUNK = 128;
/** size steps whose item × size groups are kept (a catalogue's sizes are a few dozen at most) */
const MAX_SIZE_STEPS = 64;

export class FitServingPredictor {
  /** features per row (= the model's feature names) */
  readonly width: number;
  private readonly p: FitModelParts;
  /** per column: its raw feature at 1 + j; its level stats (categorical) at levelAt[j], else −1 */
  private readonly levelAt: Int32Array;
  private readonly itemColumns: number[];
  private readonly userAt: number;
  private readonly itemAt: number;
  private readonly itemSizeAt: number;
  private readonly userCategoryAt: number;
  private readonly bodyAt: number;
  private readonly latentAt: number;
  private readonly itemSizes: GroupsByOwner;
  private readonly userCategories: GroupsByOwner;
  /** member × category group of each category code, for the member of the current call */
  private readonly categoryGroup: Int32Array;
  /** a one-row FitData holding the member's columns, so the body size comes from predictBodySize itself */
  private readonly probe: FitData;
  private readonly template: Float64Array;
  private readonly rows: Float64Array;
  private readonly bodyScratch: Float64Array;
  private readonly probs = new Float64Array(3);
  /** 1 for the template's features (read from the template, never written into the rows) */
  private readonly shared: Uint8Array;
  /** a chunk's class scores, row k's class c at k · classes + c (the scorer adds the trees to them) */
  private readonly scores: Float64Array;
  /** adds the trees of the first m rows to scores: the forest compiled to WebAssembly, else its arrays walked */
  private readonly scoreRows: (m: number) => void;
  private readonly itemIndexes = new Int32Array(CHUNK);
  /** feature positions of the item part of a row: item columns, their level stats, the item's history */
  private readonly itemPos: Int32Array;
  /** per item (slot nItems: an item never seen), filled on first use: itemPos values, residuals, category code */
  private readonly itemCache: Float64Array;
  private readonly itemFilled: Uint8Array;
  /** a row to compute an item's part in */
  private readonly itemScratch: Float64Array;
  private readonly categoryIsItem: boolean;
  /**
   * per size step (itemSizeKey's part): each item's item × size features (its group's count, P(small),
   * P(large), as writeGroup writes them), 3 a slot, the count −1 until computed. They depend on the
   * item and the size alone, so they are computed once per pair for the model's life, and a row reads
   * 24 adjacent bytes instead of a group id and three stats scattered over the groups (cache misses).
   */
  private readonly itemSizeFeatures = new Map<number, Float64Array>();
  /** the current call's row of itemSizeFeatures and its size step */
  private sizeFeatures: Float64Array = new Float64Array(0);
  private sizePart = -1;

  constructor(parts: FitModelParts) {
    this.p = parts;
    const { columns } = parts.vocab;
    const C = columns.length;
    this.levelAt = new Int32Array(C).fill(-1);
    let at = 1 + C;
    columns.forEach((c, j) => {
      if (c.kind !== 'categorical') return;
      this.levelAt[j] = at;
      at += 3;
    });
    this.userAt = at;
    this.itemAt = at + 5;
    this.itemSizeAt = at + 10;
    this.userCategoryAt = at + 13;
    this.bodyAt = at + 18;
    this.latentAt = at + 22;
    this.width = at + 25;
    this.itemColumns = columns.flatMap((c, j) => (c.scope === 'item' ? [j] : []));
    const { tables, vocab } = parts;
    // the spans of the composite keys, read off the key functions so they cannot drift apart
    this.itemSizes = groupsByOwner(tables.itemSize.keys, vocab.itemIds.length, itemSizeKey(1, 0) - itemSizeKey(0, 0));
    this.userCategories = groupsByOwner(tables.userCategory.keys, vocab.userIds.length, userCategoryKey(1, 0) - userCategoryKey(0, 0));
    let maxCode = -1;
    for (const code of this.userCategories.part) maxCode = Math.max(maxCode, code);
    this.categoryGroup = new Int32Array(maxCode + 1).fill(-1);
    this.probe = {
      userIds: [], itemIds: [], users: new Int32Array(1), items: new Int32Array(1), sizes: new Float64Array(1), labels: new Int8Array(1),
      columns: columns.map((c): FitColumn => c.kind === 'numeric'
        ? { kind: 'numeric', name: c.name, scope: c.scope, values: new Float64Array(1) }
        : { kind: 'categorical', name: c.name, scope: c.scope, codes: new Int32Array(1), labels: c.labels }),
    };
    this.bodyScratch = new Float64Array(tables.body.weights.length);
    // the template's features: everything that depends on the member and the size only
    const shared = new Uint8Array(this.width);
    shared[0] = 1;
    columns.forEach((c, j) => {
      if (c.scope === 'item') return;
      shared[1 + j] = 1;
      if (this.levelAt[j] >= 0) shared.fill(1, this.levelAt[j], this.levelAt[j] + 3);
    });
    shared.fill(1, this.userAt, this.userAt + 5);
    shared.fill(1, this.bodyAt, this.bodyAt + 2);
    this.shared = shared;
    // rows, template and scores live in the WebAssembly module's memory when there is one (wasm-forest.ts)
    const wasm = compileForestToWasm(parts.forest, this.width, CHUNK, (f) => shared[f] === 1);
    if (wasm) {
      this.rows = wasm.rows;
      this.template = wasm.shared;
      this.scores = wasm.scores;
      this.scoreRows = wasm.score;
    } else {
      const rows = (this.rows = new Float64Array(CHUNK * this.width));
      const template = (this.template = new Float64Array(this.width));
      const scores = (this.scores = new Float64Array(CHUNK * parts.forest.nClasses));
      const compiled = addForestScoresWithShared(parts.forest, (f) => shared[f] === 1);
      this.scoreRows = (m) => compiled(rows, this.width, m, scores, 0, template);
    }
    const pos: number[] = [];
    for (const j of this.itemColumns) {
      pos.push(1 + j);
      if (this.levelAt[j] >= 0) pos.push(this.levelAt[j], this.levelAt[j] + 1, this.levelAt[j] + 2);
    }
    pos.push(this.itemAt, this.itemAt + 1, this.itemAt + 2, this.itemAt + 3);
    this.itemPos = Int32Array.from(pos);
    this.itemCache = new Float64Array((vocab.itemIds.length + 1) * (pos.length + 3));
    this.itemFilled = new Uint8Array(vocab.itemIds.length + 1);
    this.itemScratch = new Float64Array(this.width);
    this.categoryIsItem = this.itemColumns.includes(tables.categoryColumn);
  }

  /**
   * Row-major n × 3 P(small/fit/large) of member u (model index, −1 never seen) in each item of
   * `itemIds` (unknown ids: never seen) in size s (normalised, NaN unknown); `given` overrides the
   * member's columns by name (as FitModel.predictItemsByRows).
   */
  predict(u: number, itemIds: readonly string[], s: number, given?: FitFeatureValues): Float64Array {
    const n = itemIds.length;
    const K = this.p.forest.nClasses;
    const out = new Float64Array(n * K);
    const { itemIndex } = this.p.vocab;
    const category = this.prepareMember(u, s, given);
    this.prepareSize(s);
    try {
      for (let from = 0; from < n; from += CHUNK) {
        const m = Math.min(CHUNK, n - from);
        for (let k = 0; k < m; k++) this.itemIndexes[k] = itemIndex.get(itemIds[from + k]) ?? -1;
        for (let k = 0; k < m; k++) this.writeRow(k * this.width, u, this.itemIndexes[k], s, category);
        const { scores } = this;
        for (let k = 0; k < m; k++) for (let c = 0; c < K; c++) scores[k * K + c] = this.p.forest.base[c];
        this.scoreRows(m);
        for (let x = 0; x < m * K; x++) out[from * K + x] = scores[x];
      }
    } finally {
      this.clearMember(u);
    }
    softmaxRows(out, K);
    return out;
  }

  /** The feature rows `predict` scores, row-major n × width (for tests and diagnostics: it allocates). */
  features(u: number, itemIds: readonly string[], s: number): Float64Array {
    const out = new Float64Array(itemIds.length * this.width);
    const category = this.prepareMember(u, s);
    this.prepareSize(s);
    try {
      itemIds.forEach((id, k) => {
        this.writeRow(0, u, this.p.vocab.itemIndex.get(id) ?? -1, s, category);
        for (let f = 0; f < this.width; f++) out[k * this.width + f] = this.shared[f] === 1 ? this.template[f] : this.rows[f];
      });
    } finally {
      this.clearMember(u);
    }
    return out;
  }

  /**
   * The member and size part of every row into the template; the member's category groups by code.
   * Returns the category code when the category column is not item-scope (−1 then, in a trained model).
   */
  private prepareMember(u: number, s: number, given?: FitFeatureValues): number {
    const { vocab, tables, memberValues, params } = this.p;
    const t = this.template;
    let category = -1;
    t[0] = s;
    vocab.columns.forEach((c, j) => {
      if (c.scope === 'item') return;
      // rental columns are never known at serving time; member columns are what training last saw, unless given
      const stored = c.scope === 'member' && u >= 0 ? memberValues[j][u] : Number.NaN;
      const value = given?.[c.name];
      const probeColumn = this.probe.columns[j];
      if (probeColumn.kind === 'numeric') {
        const v = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : stored;
        probeColumn.values[0] = v;
        t[1 + j] = v;
        return;
      }
      const code = value !== undefined && c.kind === 'categorical' ? c.labels.indexOf(String(value))
        : Number.isNaN(stored) ? -1 : stored | 0; // | 0: the Int32Array store of the batch path
      probeColumn.codes[0] = code;
      t[1 + j] = code >= 0 ? code : Number.NaN;
      this.writeLevel(t, 0, j, code);
      if (j === tables.categoryColumn) category = code;
    });
    writeGroup(tables.user, u, s, tables.prior, params.smoothing, t, this.userAt, true);
    const body = predictBodySize(tables.body, this.probe, 0, this.bodyScratch);
    t[this.bodyAt] = body;
    t[this.bodyAt + 1] = s - body;
    const uc = this.userCategories;
    if (u >= 0) for (let e = uc.start[u]; e < uc.start[u + 1]; e++) this.categoryGroup[uc.part[e]] = uc.group[e];
    return category;
  }

  /** The item × size features of size s (itemSizeFeatures), for writeRow. */
  private prepareSize(s: number): void {
    const part = itemSizeKey(0, s);
    this.sizePart = part;
    if (part < 0) return;
    let features = this.itemSizeFeatures.get(part);
    if (!features) {
      // a bound, not a policy: sizes come from members' data, and a stray one should not grow this for ever
      if (this.itemSizeFeatures.size >= MAX_SIZE_STEPS) this.itemSizeFeatures.clear();
      this.itemSizeFeatures.set(part, (features = new Float64Array(3 * this.itemFilled.length).fill(-1)));
    }
    this.sizeFeatures = features;
  }

  private clearMember(u: number): void {
    const uc = this.userCategories;
    if (u >= 0) for (let e = uc.start[u]; e < uc.start[u + 1]; e++) this.categoryGroup[uc.part[e]] = -1;
  }

  /**
   * Row of item i (−1 never seen) at rows[at…]: the item's cached part, then what depends on both
   * item and member (the template's features are read from the template by the scorer).
   */
  private writeRow(at: number, u: number, i: number, s: number, memberCategory: number): void {
    const { tables, params } = this.p;
    const { prior } = tables;
    const smoothing = params.smoothing;
    const r = this.rows;
    const slot = i >= 0 ? i : this.itemFilled.length - 1;
    const P = this.itemPos.length;
    const base = slot * (P + 3);
    if (this.itemFilled[slot] === 0) this.fillItem(i, base);
    const cache = this.itemCache;
    for (let p = 0; p < P; p++) r[at + this.itemPos[p]] = cache[base + p];
    r[at + this.itemAt + 4] = s - cache[base + P - 1];
    const isAt = at + this.itemSizeAt;
    if (i >= 0 && this.sizePart >= 0) {
      const f = this.sizeFeatures, x = 3 * i;
      if (f[x] < 0) writeGroup(tables.itemSize.stats, groupOf(this.itemSizes, i, this.sizePart), s, prior, smoothing, f, x, false);
      r[isAt] = f[x];
      r[isAt + 1] = f[x + 1];
      r[isAt + 2] = f[x + 2];
    } else writeGroup(tables.itemSize.stats, -1, s, prior, smoothing, r, isAt, false);
    const category = this.categoryIsItem ? cache[base + P + 2] : memberCategory;
    const codePart = userCategoryKey(0, category);
    const ucGroup = u >= 0 && codePart >= 0 && codePart < this.categoryGroup.length ? this.categoryGroup[codePart] : -1;
    writeGroup(tables.userCategory.stats, ucGroup, s, prior, smoothing, r, at + this.userCategoryAt, true);

    const body = this.template[this.bodyAt];
    r[at + this.bodyAt + 2] = s - body - cache[base + P];
    r[at + this.bodyAt + 3] = s - body - cache[base + P + 1];

    const z = latentZ(tables.latent, u, i, s);
    ordinalProbs(tables.latent, z, this.probs);
    r[at + this.latentAt] = z;
    r[at + this.latentAt + 1] = this.probs[0];
    r[at + this.latentAt + 2] = this.probs[2];
  }

  /** The part of a row that depends on the item alone, computed once per item for the model's life, into itemCache[base…]. */
  private fillItem(i: number, base: number): void {
    const { tables, itemValues, params } = this.p;
    const r = this.itemScratch;
    const at = 0;
    let category = -1;
    for (const j of this.itemColumns) {
      const stored = i >= 0 ? itemValues[j][i] : Number.NaN;
      if (this.levelAt[j] < 0) {
        r[at + 1 + j] = stored;
        continue;
      }
      const code = Number.isNaN(stored) ? -1 : stored | 0; // | 0: the Int32Array store of the batch path
      r[at + 1 + j] = code >= 0 ? code : Number.NaN;
      this.writeLevel(r, at, j, code);
      if (j === tables.categoryColumn) category = code;
    }
    writeGroup(tables.item, i, Number.NaN, tables.prior, params.smoothing, r, at + this.itemAt, true);
    const P = this.itemPos.length;
    for (let p = 0; p < P; p++) this.itemCache[base + p] = r[at + this.itemPos[p]];
    const res = tables.itemResidual;
    this.itemCache[base + P] = i >= 0 && res[i * 4 + 1] > 0 ? res[i * 4] / (res[i * 4 + 1] + 3) : 0;
    this.itemCache[base + P + 1] = i >= 0 && res[i * 4 + 3] > 0 ? res[i * 4 + 2] / (res[i * 4 + 3] + 3) : 0;
    this.itemCache[base + P + 2] = category;
    this.itemFilled[i >= 0 ? i : this.itemFilled.length - 1] = 1;
  }

  /** Level stats of categorical column j for `code` at out[at + levelAt[j]…] (as fit-features.ts). */
  private writeLevel(out: Float64Array, at: number, j: number, code: number): void {
    const levels = this.p.tables.levels[j];
    const g = code < levels.count.length ? code : -1;
    writeGroup(levels, g, 0, this.p.tables.prior, this.p.params.smoothing, out, at + this.levelAt[j], false);
  }
}

/** writeGroupFeatures (group-stats.ts) into one row-major row: the same expressions, so the same bits. */
function writeGroup(
  stats: GroupStats, g: number, size: number, prior: Float64Array, smoothing: number, out: Float64Array, at: number, withSizes: boolean,
): void {
  const n = g >= 0 ? stats.count[g] : 0;
  out[at] = n;
  out[at + 1] = ((g >= 0 ? stats.small[g] : 0) + smoothing * prior[SMALL]) / (n + smoothing);
  out[at + 2] = ((g >= 0 ? stats.large[g] : 0) + smoothing * prior[LARGE]) / (n + smoothing);
  if (!withSizes) return;
  const mean = g >= 0 && stats.sizeCount[g] > 0 ? stats.sizeSum[g] / stats.sizeCount[g] : Number.NaN;
  out[at + 3] = mean;
  out[at + 4] = size - mean;
}
