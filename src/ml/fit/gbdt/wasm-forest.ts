/**
 * A forest compiled to WebAssembly: each tree as nested conditionals with its features and thresholds
 * as constants, in a module whose rows, shared row and scores live in its own memory. Why: on a page
 * the tree walk is most of a fit prediction; walking node arrays is a chain of dependent loads (node →
 * feature → value → threshold → child) with one shared, unpredictable branch, while compiled every
 * node is its own branch, and the nodes on member or size features go the same way for every row of
 * a page, so the CPU predicts them. A WebAssembly load has its offset built in and no bounds check (the
 * memory's guard pages do it), and the module runs optimised from its first call (the JavaScript
 * version compiled with `new Function`, removed, stayed slow for ~800 calls after every model load). On the 200k × 20k world's fit model (135 trees, 8,235
 * nodes), a page's rows as served: ~12% less CPU for the walk (bench/results/serve-fresh-cpu.md, h22fit).
 *
 * Exact: thresholds and leaves are written as the doubles they are (f64.const holds the 8 bytes), the
 * comparisons are predictForest's (NaN goes the nanLeft way, anything else left when x ≤ t), and each
 * (row, class) adds its leaves in tree order from the score it holds, so the sums are the same bits.
 * Trade-off: a module per model (~15 bytes a node of code, its machine code, and one memory of
 * capacity × (stride + classes) doubles); compiling it takes ~50–150 ms on the first pages' thread
 * (FitModel.warmServing runs it at load). Undefined when the engine has no WebAssembly.
 */
import { I32, sleb, uleb } from '../../common/wasm-encoding.ts';
import type { Forest } from './forest.ts';

/** A forest's scorer over buffers in its own memory (written by the caller, read by `score`). */
export interface WasmForestScorer {
  /** `capacity` rows of `stride` features, row-major; the shared features' slots are never read */
  readonly rows: Float64Array;
  /** the features every row shares (isShared), read from here */
  readonly shared: Float64Array;
  /** row k's class c score at k · nClasses + c: `score` adds each row's trees to what is there */
  readonly scores: Float64Array;
  /** Adds the trees' values of rows 0 … n − 1 (n ≤ capacity) to their scores. */
  score(n: number): void;
}

/** Trees per generated function, in nodes: one function a class for forests like the fit models'. */
const MAX_NODES_PER_FUNCTION = 4096;
const PAGE_BYTES = 65536;

// the opcodes used (WebAssembly core spec 1.0)
const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, call: 0x10,
  localGet: 0x20, localSet: 0x21, i32Const: 0x41, f64Const: 0x44, f64Load: 0x2b, f64Store: 0x39,
  i32Eqz: 0x45, i32GeU: 0x4f, i32Add: 0x6a, i32Mul: 0x6c, f64Ne: 0x62, f64Gt: 0x64, f64Le: 0x65, f64Add: 0xa0,
} as const;
const VOID = 0x40, F64 = 0x7c;

/**
 * The scorer of `forest` over rows of `stride` features (stride ≥ its features), up to `capacity`
 * rows a call, features f with isShared(f) read from the shared row; undefined without WebAssembly.
 */
export function compileForestToWasm(
  forest: Forest, stride: number, capacity: number, isShared: (f: number) => boolean = () => false,
): WasmForestScorer | undefined {
  if (typeof WebAssembly !== 'object' || stride < forest.nFeatures) return undefined;
  const K = forest.nClasses;
  const sharedAt = capacity * stride * 8;
  const scoresAt = sharedAt + stride * 8;
  const bytes = scoresAt + capacity * K * 8;
  try {
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE_BYTES) });
    const module = new WebAssembly.Module(moduleBytes({ forest, stride, sharedAt, scoresAt, isShared }));
    const score = new WebAssembly.Instance(module, { m: { memory } }).exports.score as (n: number) => void;
    return {
      rows: new Float64Array(memory.buffer, 0, capacity * stride),
      shared: new Float64Array(memory.buffer, sharedAt, stride),
      scores: new Float64Array(memory.buffer, scoresAt, capacity * K),
      score: (n) => score(Math.min(n, capacity) | 0),
    };
  } catch {
    // an engine that refuses the module (or a forest too deep for it): the caller keeps its own scorer
    return undefined;
  }
}

/** What the code is generated for: the forest, the row layout and the memory's layout (byte offsets). */
interface Layout {
  forest: Forest;
  stride: number;
  sharedAt: number;
  scoresAt: number;
  isShared: (f: number) => boolean;
}

/** The module: one function per group of one class's trees, and `score(n)` calling each in turn. */
function moduleBytes(layout: Layout): Uint8Array<ArrayBuffer> {
  const bodies = treeGroups(layout.forest).map(({ c, trees }) => groupBody(layout, c, trees));
  const n = bodies.length;
  // score(n): every group over the same rows
  const main: number[] = [0];
  for (let g = 0; g < n; g++) main.push(OP.localGet, 0, OP.call, ...uleb(g));
  main.push(OP.end);
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const section = (id: number, content: number[]): void => {
    out.push(id, ...uleb(content.length));
    for (const b of content) out.push(b);
  };
  section(1, [1, 0x60, 1, I32, 0]); // one type: (i32) → ()
  section(2, [1, ...name('m'), ...name('memory'), 0x02, 0x00, 0x00]); // import m.memory, at least 0 pages
  section(3, [...uleb(n + 1), ...new Array<number>(n + 1).fill(0)]);
  section(7, [1, ...name('score'), 0x00, ...uleb(n)]);
  const code: number[] = [...uleb(n + 1)];
  for (const body of [...bodies, main]) {
    code.push(...uleb(body.length));
    for (const b of body) code.push(b);
  }
  section(10, code);
  return Uint8Array.from(out);
}

/** Each class's trees in round order, split into groups of at most MAX_NODES_PER_FUNCTION nodes. */
function treeGroups(forest: Forest): Array<{ c: number; trees: number[] }> {
  const { nodeFeature, nodeLeft, nodeRight, treeRoot, nClasses: K } = forest;
  const size = (root: number): number => {
    let count = 0;
    const stack = [root];
    while (stack.length > 0) {
      const node = stack.pop() as number;
      count++;
      if (nodeFeature[node] >= 0) stack.push(nodeLeft[node], nodeRight[node]);
    }
    return count;
  };
  const groups: Array<{ c: number; trees: number[] }> = [];
  for (let c = 0; c < K; c++) {
    let trees: number[] = [];
    let nodes = 0;
    for (let t = c; t < treeRoot.length; t += K) {
      const treeSize = size(treeRoot[t]);
      if (nodes > 0 && nodes + treeSize > MAX_NODES_PER_FUNCTION) {
        groups.push({ c, trees });
        trees = [];
        nodes = 0;
      }
      trees.push(t);
      nodes += treeSize;
    }
    if (trees.length > 0) groups.push({ c, trees });
  }
  return groups;
}

/**
 * for (k = 0; k < n; k++) { s = scores[k][c]; s += tree(row k) for each tree; scores[k][c] = s }
 * Locals: 0 n (the parameter), 1 k, 2 the row's address, 3 the score's address, 4 s.
 */
function groupBody(layout: Layout, c: number, trees: readonly number[]): number[] {
  const { forest, stride, scoresAt } = layout;
  const K = forest.nClasses;
  const b: number[] = [2, 3, I32, 1, F64];
  b.push(OP.block, VOID, OP.loop, VOID);
  b.push(OP.localGet, 1, OP.localGet, 0, OP.i32GeU, OP.brIf, 1);
  b.push(OP.localGet, 1, OP.i32Const, ...sleb(stride * 8), OP.i32Mul, OP.localSet, 2);
  b.push(OP.localGet, 1, OP.i32Const, ...sleb(K * 8), OP.i32Mul, OP.localSet, 3);
  b.push(OP.localGet, 3, OP.f64Load, 3, ...uleb(scoresAt + c * 8), OP.localSet, 4);
  for (const t of trees) {
    b.push(OP.localGet, 4);
    treeExpr(layout, forest.treeRoot[t], b);
    b.push(OP.f64Add, OP.localSet, 4);
  }
  b.push(OP.localGet, 3, OP.localGet, 4, OP.f64Store, 3, ...uleb(scoresAt + c * 8));
  b.push(OP.localGet, 1, OP.i32Const, 1, OP.i32Add, OP.localSet, 1, OP.br, 0);
  b.push(OP.end, OP.end, OP.end);
  return b;
}

/** The tree under `node` as an expression leaving its leaf's value (predictForest's way at each node). */
function treeExpr(layout: Layout, node: number, b: number[]): void {
  const { forest, stride, sharedAt, isShared } = layout;
  const { nodeFeature, nodeThreshold, nodeNanLeft, nodeLeft, nodeRight, nodeValue } = forest;
  const f = nodeFeature[node];
  if (f < 0) {
    b.push(OP.f64Const, ...f64(nodeValue[node]));
    return;
  }
  if (f >= stride) throw new RangeError(`feature ${f} outside a row of ${stride}`);
  // shared features from the shared row (address 0 + its offset), the others from the row (local 2)
  const x = (): void => {
    if (isShared(f)) b.push(OP.i32Const, 0, OP.f64Load, 3, ...uleb(sharedAt + f * 8));
    else b.push(OP.localGet, 2, OP.f64Load, 3, ...uleb(f * 8));
  };
  const t = nodeThreshold[node];
  if (Number.isNaN(t)) {
    // no value is ≤ NaN: only a NaN goes left, and only when the node sends NaN left
    if (nodeNanLeft[node] === 1) { x(); x(); b.push(OP.f64Ne); } else b.push(OP.i32Const, 0);
  } else if (nodeNanLeft[node] === 1) {
    x(); b.push(OP.f64Const, ...f64(t), OP.f64Gt, OP.i32Eqz); // !(x > t): NaN left
  } else {
    x(); b.push(OP.f64Const, ...f64(t), OP.f64Le); // x ≤ t: NaN right
  }
  b.push(OP.if, F64);
  treeExpr(layout, nodeLeft[node], b);
  b.push(OP.else);
  treeExpr(layout, nodeRight[node], b);
  b.push(OP.end);
}

/** The 8 bytes of a double, little-endian (f64.const): the value exactly, −0 and NaN included. */
function f64(value: number): number[] {
  return [...new Uint8Array(Float64Array.of(value).buffer)];
}

/** A name as the binary format writes it: its UTF-8 length, then its bytes. */
function name(text: string): number[] {
  const bytes = new TextEncoder().encode(text);
  return [...uleb(bytes.length), ...bytes];
}
