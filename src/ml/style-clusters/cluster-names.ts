/**
 * Names for style clusters from what their items share: up to two descriptors (attribute values, tags,
 * brands) that are common in the cluster and rarer outside it, then the dominant category in the
 * plural — "Black cocktail sheaths". Names are unique across the model.
 */
import { tokenKind, tokenText } from '../content/item-tokens.ts';
import type { ItemVectors } from '../content/item-vectors.ts';

export interface NamingOptions {
  /** a descriptor must be on at least this share of the cluster's items */
  minShare: number;
  maxDescriptors: number;
}

/** One unique name per cluster (bigger clusters get the plain names first). */
export function nameClusters(vocab: readonly string[], vectors: ItemVectors, assignment: Int32Array, k: number, opts: NamingOptions): string[] {
  const n = assignment.length;
  const counts = new Int32Array(k);
  const tokenCounts = new Float64Array(k * vocab.length);
  const globalCounts = new Float64Array(vocab.length);
  for (let i = 0; i < n; i++) {
    const c = assignment[i];
    counts[c]++;
    for (const t of vectors.tokens(i).indices) {
      tokenCounts[c * vocab.length + t]++;
      globalCounts[t]++;
    }
  }
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => counts[b] - counts[a] || a - b);
  const names = new Array<string>(k);
  const used = new Set<string>();
  for (const c of order) {
    const ranked = rankTokens(vocab, tokenCounts.subarray(c * vocab.length, (c + 1) * vocab.length), globalCounts, counts[c], n);
    const noun = categoryNoun(vocab, ranked);
    const descriptors = ranked.filter((r) => tokenKind(vocab[r.token]) !== 'cat' && r.share >= opts.minShare);
    const words: string[] = [];
    let next = 0;
    const compose = (): string => capitalise([...words, noun].join(' '));
    while (next < descriptors.length && words.length < opts.maxDescriptors) words.push(tokenText(vocab[descriptors[next++].token]));
    // on a clash, add the next descriptor; failing that, number it
    while (used.has(compose().toLowerCase()) && next < descriptors.length) words.push(tokenText(vocab[descriptors[next++].token]));
    let name = compose();
    for (let copy = 2; used.has(name.toLowerCase()); copy++) name = `${compose()} ${copy}`;
    used.add(name.toLowerCase());
    names[c] = name;
  }
  return names;
}

interface RankedToken {
  token: number;
  share: number;
  score: number;
}

/** Tokens of the cluster by share × lift (share in cluster over share overall), best first. */
function rankTokens(vocab: readonly string[], inCluster: Float64Array, global: Float64Array, size: number, n: number): RankedToken[] {
  const out: RankedToken[] = [];
  for (let t = 0; t < vocab.length; t++) {
    if (inCluster[t] === 0) continue;
    const share = inCluster[t] / size;
    const lift = share / (global[t] / n);
    out.push({ token: t, share, score: share * Math.log(1 + lift) });
  }
  return out.sort((a, b) => b.score - a.score || a.token - b.token);
}

/** The plural of the most common category when it covers half the cluster, else "styles". */
function categoryNoun(vocab: readonly string[], ranked: RankedToken[]): string {
  let best: RankedToken | undefined;
  for (const r of ranked) if (tokenKind(vocab[r.token]) === 'cat' && (!best || r.share > best.share)) best = r;
  return best && best.share >= 0.5 ? plural(tokenText(vocab[best.token])) : 'styles';
}

/** English plural of the last word: dress → dresses, jumpsuit → jumpsuits, accessory → accessories, pants → pants. */
export function plural(phrase: string): string {
  if (/(ss|x|z|ch|sh)$/.test(phrase)) return `${phrase}es`;
  if (phrase.endsWith('s')) return phrase;
  if (/[^aeiou]y$/.test(phrase)) return `${phrase.slice(0, -1)}ies`;
  return `${phrase}s`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
