/**
 * A forest compiled to JavaScript (what serving uses when the engine has no WebAssembly: wasm-forest.ts
 * emits the same conditionals as a module, ~12% faster on a page): each tree becomes nested conditionals with its features and
 * thresholds as constants, and the engine compiles those to machine code. Why: walking node arrays is
 * a chain of dependent loads (node → feature → value → threshold → child) with one shared,
 * unpredictable branch; compiled, every node is its own branch, and on a page the nodes on member or
 * size features go the same way for every row, so the CPU predicts them. On the RTR fit model
 * (180 trees, 11k nodes), pages of varied members, items and sizes: ~1.5 µs a row against ~5.5 µs
 * through the arrays (0.7 against 6 when one page repeats and the branch predictor knows it).
 *
 * Exact: every leaf and threshold is printed with String(number), which reads back to the same double,
 * and each (row, class) adds its leaves in tree order as predictForest does, so the sums are the
 * same bits. Safe to generate: the source is made only of numbers read from typed arrays.
 * Trade-off: the generated source (~30 bytes a node) and its machine code live as long as the model;
 * the first calls run unoptimised until the engine has seen them hot.
 */
import { addForestScoresRowMajor, type Forest } from './forest.ts';

/**
 * Adds the raw class scores of `n` row-major rows to out[outAt + k·nClasses + c] (see
 * addForestScoresRowMajor). Features the rows share are read from `shared[f]`, not from the rows
 * (their slots in the rows may hold anything): a page's member and size features are written once.
 */
export type ForestScorer = (rows: Float64Array, stride: number, n: number, out: Float64Array, outAt: number, shared: Float64Array) => void;

/**
 * Trees are grouped into functions of at most this many nodes: larger ones are not optimised by V8
 * (4,000-node groups ran 25× slower on RTR), much smaller ones pay a call per row per group.
 */
const MAX_NODES_PER_FUNCTION = 1000;

type Chunk = ForestScorer;

/**
 * The compiled scorer of `forest`, features f with isShared(f) read from `shared`; the array walk
 * (after copying the shared features into the rows) when the engine refuses code generation.
 */
export function compileForest(forest: Forest, isShared: (f: number) => boolean = () => false): ForestScorer {
  try {
    const chunks = compileChunks(forest, isShared);
    return (rows, stride, n, out, outAt, shared) => {
      for (let j = 0; j < chunks.length; j++) chunks[j](rows, stride, n, out, outAt, shared);
    };
  } catch {
    // e.g. node --disallow-code-generation-from-strings, or a forest too deep to print
    const sharedFeatures = Array.from({ length: forest.nFeatures }, (_, f) => f).filter(isShared);
    return (rows, stride, n, out, outAt, shared) => {
      for (let k = 0; k < n; k++) for (const f of sharedFeatures) rows[k * stride + f] = shared[f];
      addForestScoresRowMajor(forest, rows, stride, n, out, outAt);
    };
  }
}

function compileChunks(forest: Forest, isShared: (f: number) => boolean): Chunk[] {
  const K = forest.nClasses;
  const { nodeFeature, nodeThreshold, nodeNanLeft, nodeLeft, nodeRight, nodeValue, treeRoot } = forest;
  const num = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
  const expr = (node: number): string => {
    const f = nodeFeature[node];
    if (f < 0) return num(nodeValue[node]);
    const x = isShared(f) ? `t[${f | 0}]` : `r[o+${f | 0}]`;
    const t = nodeThreshold[node];
    // predictForest: NaN goes the nanLeft way, anything else left when x ≤ t
    const goLeft = Number.isNaN(t) ? (nodeNanLeft[node] === 1 ? `${x}!==${x}` : 'false')
      : nodeNanLeft[node] === 1 ? `!(${x}>${num(t)})` : `${x}<=${num(t)}`;
    return `(${goLeft}?${expr(nodeLeft[node])}:${expr(nodeRight[node])})`;
  };
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
  const chunks: Chunk[] = [];
  for (let c = 0; c < K; c++) {
    let body = '';
    let nodes = 0;
    const flush = (): void => {
      if (body === '') return;
      const source = `for(let k=0;k<n;k++){const o=k*stride,at=outAt+k*${K}+${c};let s=out[at];${body}out[at]=s;}`;
      chunks.push(new Function('r', 'stride', 'n', 'out', 'outAt', 't', source) as Chunk);
      body = '';
      nodes = 0;
    };
    // class c's trees in round order, so each sum adds them as predictForest does
    for (let t = c; t < treeRoot.length; t += K) {
      const treeSize = size(treeRoot[t]);
      if (nodes > 0 && nodes + treeSize > MAX_NODES_PER_FUNCTION) flush();
      body += `s+=${expr(treeRoot[t])};`;
      nodes += treeSize;
    }
    flush();
  }
  return chunks;
}
