/**
 * The champion: of the top-N rankers a training run activated, the one the validation gate scored
 * best on its recent split. It fills `for-you` and seeds the other model-driven rows unless
 * `serving.primaryAlgorithm` pins another. A challenger must beat the champion by the gate's margin
 * (`training.gate.tolerance`, the same noise band the gate allows a new version) to replace it, so two
 * runs on nearly the same data do not flip the page between algorithms.
 *
 * The registry keeps the decision without a schema of its own: the champion's record carries
 * `metrics.champion = 1` and the contest's scores as `champion.<algorithm>.<metric>@<k>`; the champion
 * is an algorithm (its active version serves, so a rollback keeps the champion algorithm).
 */
import { emptyRecord } from '../core/dictionary.ts';
import type { ModelRecord, Store } from '../storage/store.ts';
import type { ValidationGate } from './validation-gate.ts';

/** `metrics[CHAMPION_FLAG] === 1` marks the champion's record. */
export const CHAMPION_FLAG = 'champion';
const SCORE_PREFIX = `${CHAMPION_FLAG}.`;

/** One algorithm's entry in the contest: its version and its gate score on the run's split. */
export interface Contender {
  algorithm: string;
  version: string;
  score: number;
}

export interface ChampionDecision {
  winner: Contender;
  /** true when the incumbent stays */
  kept: boolean;
  reason: string;
}

/** The champion as the registry records it: its flagged record and the contest's scores by algorithm. */
export interface RecordedChampion {
  algorithm: string;
  record: ModelRecord;
  /** metric name → algorithm → score, e.g. {"ndcg@10": {"hybrid": 0.0156, "als": 0.0055}} */
  scores: Record<string, Record<string, number>>;
}

/**
 * The contest's winner: the best-scoring contender, unless an incumbent is given and the best does
 * not beat it by `margin` (challenger > (1 + margin) × incumbent). Ties keep the incumbent, then the
 * contenders' order. Undefined when there is nobody.
 */
export function chooseChampion(contenders: readonly Contender[], incumbent: Contender | undefined, margin: number): ChampionDecision | undefined {
  const rivals = incumbent ? contenders.filter((c) => c.algorithm !== incumbent.algorithm) : contenders;
  let best: Contender | undefined;
  for (const c of rivals) if (Number.isFinite(c.score) && (!best || c.score > best.score)) best = c;
  if (!incumbent) return best && { winner: best, kept: false, reason: `best on the gate's split (${fmt(best.score)})` };
  if (!best || best.score <= incumbent.score) {
    return { winner: incumbent, kept: true, reason: `stays champion (${fmt(incumbent.score)}${best ? `; best challenger ${best.algorithm} ${fmt(best.score)}` : ''})` };
  }
  if (best.score > (1 + margin) * incumbent.score) {
    return { winner: best, kept: false, reason: `${fmt(best.score)} beats champion ${incumbent.algorithm}'s ${fmt(incumbent.score)} by more than ${pct(margin)}` };
  }
  return {
    winner: incumbent, kept: true,
    reason: `stays champion: challenger ${best.algorithm} ${fmt(best.score)} does not beat ${fmt(incumbent.score)} by ${pct(margin)}`,
  };
}

/** The champion recorded in `records` (newest first, as listModels gives them), if any. */
export function recordedChampion(records: readonly ModelRecord[]): RecordedChampion | undefined {
  const record = records.find((r) => r.metrics[CHAMPION_FLAG] === 1);
  if (!record) return undefined;
  const scores = emptyRecord<Record<string, number>>();
  for (const [key, value] of Object.entries(record.metrics)) {
    if (!key.startsWith(SCORE_PREFIX)) continue;
    const rest = key.slice(SCORE_PREFIX.length);
    const dot = rest.lastIndexOf('.');
    if (dot <= 0) continue;
    const metric = rest.slice(dot + 1);
    const byAlgorithm = scores[metric] ?? (scores[metric] = emptyRecord<number>());
    byAlgorithm[rest.slice(0, dot)] = value;
  }
  return { algorithm: record.algorithm, record, scores };
}

export interface CrownOptions {
  margin: number;
  log: (line: string) => void;
}

/**
 * After a training run: ranks the top-N versions it activated (those the gate scored) against the
 * recorded champion (scored on the same split) and records the winner in the registry. Returns the
 * records of `run` as updated (the winner's carries the flag). Nothing changes when the gate could not
 * score anyone.
 */
export async function crownChampion(store: Store, gate: ValidationGate, run: ModelRecord[], opts: CrownOptions): Promise<ModelRecord[]> {
  const metric = gate.metricName;
  const contenders: Contender[] = run
    .filter((r) => r.status === 'active' && Number.isFinite(r.metrics[metric]))
    .map((r) => ({ algorithm: r.algorithm, version: r.version, score: r.metrics[metric] }));
  if (contenders.length === 0) return run;
  const registry = await store.listModels();
  const incumbent = await incumbentOf(registry, contenders, gate);
  const decision = chooseChampion(contenders, incumbent, opts.margin);
  if (!decision) return run;
  const scores = [...contenders.filter((c) => c.algorithm !== incumbent?.algorithm), ...(incumbent ? [incumbent] : [])];
  const flags: Record<string, number> = { [CHAMPION_FLAG]: 1 };
  for (const c of scores) flags[`${SCORE_PREFIX}${c.algorithm}.${metric}`] = c.score;
  const updated = new Map<string, ModelRecord>();
  for (const r of registry) {
    if (r.version === decision.winner.version) continue;
    if (Object.keys(r.metrics).some((k) => k === CHAMPION_FLAG || k.startsWith(SCORE_PREFIX))) {
      const cleared = { ...r, metrics: withoutChampion(r.metrics) };
      await store.putModel(cleared);
      updated.set(r.version, cleared);
    }
  }
  const winner = registry.find((r) => r.version === decision.winner.version);
  if (winner) {
    const crowned = { ...winner, metrics: { ...withoutChampion(winner.metrics), ...flags } };
    await store.putModel(crowned);
    updated.set(winner.version, crowned);
  }
  opts.log(`champion: ${decision.winner.algorithm} (${decision.winner.version}) — ${metric} ${decision.reason}`);
  return run.map((r) => updated.get(r.version) ?? r);
}

/** The recorded champion as a contender on this run's split (its newly trained version when the run has one). */
async function incumbentOf(registry: readonly ModelRecord[], contenders: readonly Contender[], gate: ValidationGate): Promise<Contender | undefined> {
  const recorded = recordedChampion(registry);
  if (!recorded) return undefined;
  const retrained = contenders.find((c) => c.algorithm === recorded.algorithm);
  if (retrained) return retrained;
  const active = registry.find((r) => r.algorithm === recorded.algorithm && r.status === 'active');
  if (!active) return undefined;
  const score = await gate.scoreOf(active.algorithm, active.params);
  return score === undefined ? undefined : { algorithm: active.algorithm, version: active.version, score };
}

function withoutChampion(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([k]) => k !== CHAMPION_FLAG && !k.startsWith(SCORE_PREFIX)));
}

function fmt(x: number): string {
  return x.toFixed(4);
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}
