/**
 * Replays the validation gate's split (validation-gate.ts: newest 10% of positives, global-time, at most
 * 5,000 evenly spaced members) on a store, trains each named variant on its train part with the
 * trainer's defaults merged with the given params, and prints NDCG@10 with the guard's verdict and a
 * paired bootstrap (2,000 resamples of members) of every pair's difference. A hybrid variant is also
 * scored ranking by each component named in FORCE (e.g. FORCE=als,ease): what it would serve had its
 * guard chosen that component. Written for issue 21's soak-world question (docs/models.md).
 *   node --import tsx bench/hybrid-gate-replay.ts <store.db> als=als hybrid=hybrid 'h64=hybrid:{"alsFactors":64}'
 * The store is opened read-write (migrations): pass a copy.
 */
import { DEFAULT_CONFIG } from '../src/core/config.ts';
import { scoreLists } from '../src/eval/evaluate.ts';
import { recommendAll } from '../src/eval/recommend-all.ts';
import { splitDataset } from '../src/eval/splits.ts';
import { HybridModel } from '../src/ml/hybrid/hybrid-model.ts';
import { isRanking } from '../src/ml/hybrid/guard.ts';
import { getTrainer } from '../src/ml/registry.ts';
import type { Model } from '../src/ml/model.ts';
import { loadTrainingData } from '../src/pipeline/training-data.ts';
import { openStore } from '../src/storage/open-store.ts';

const [db, ...variants] = process.argv.slice(2);
const store = await openStore(`sqlite:${db}`);
const data = await loadTrainingData(store);
const gate = DEFAULT_CONFIG.training.gate;
const sorted = Float64Array.from(data.interactions.ts).sort();
const cutoff = sorted[Math.min(sorted.length - 1, Math.floor((1 - gate.testFraction) * sorted.length))];
const whole = splitDataset({ name: data.name, interactions: data.interactions, items: data.items }, { name: 'global-time', cutoff });
const n = Math.min(whole.users.length, gate.maxUsers);
const split = { ...whole, users: Array.from({ length: n }, (_, j) => whole.users[Math.floor((j * whole.users.length) / n)]) };
console.log(`gate split: cutoff ${new Date(cutoff).toISOString()}, ${split.users.length} members evaluated`);

const perMember = new Map<string, Float64Array>();
async function score(name: string, algorithm: string, model: Model): Promise<void> {
  const { lists } = await recommendAll(model, { algorithm, users: split.users, k: 10, threads: 1 });
  const r = scoreLists(split, lists, 10, split.train.interactions.itemIds.length, { trainSeconds: 0, recommendSeconds: 0, recommendWorkers: 0, params: {}, unrankedUsers: 0 });
  perMember.set(name, r.perUser.ndcg);
  const hits = r.perUser.ndcg.filter((x) => x > 0).length;
  console.log(`${name}: NDCG@10 ${r.ndcg.toFixed(4)} (${hits} members with a hit)`);
}

for (const v of variants) {
  const [name, spec] = [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)];
  const colon = spec.indexOf(':');
  const algorithm = colon < 0 ? spec : spec.slice(0, colon);
  const trainer = getTrainer(algorithm);
  const params = { ...(trainer.defaults as Record<string, unknown>), ...(colon < 0 ? {} : JSON.parse(spec.slice(colon + 1))) };
  const cpu = process.cpuUsage();
  const model = await trainer.train(split.train, params, { now: split.trainEnd });
  const used = process.cpuUsage(cpu);
  console.log(`${name}: trained in ${((used.user + used.system) / 1e6).toFixed(1)} CPU s; guard ${JSON.stringify(model.manifest.extra?.guard ?? null)}`);
  await score(name, algorithm, model);
  if (!(model instanceof HybridModel)) continue;
  for (const ranking of (process.env.FORCE ?? '').split(',').filter(isRanking)) {
    const forced = new HybridModel(model.manifest, model.items, model.state, { current: { forest: model.rankers.current.forest, ranking } }, model.timeline);
    await score(`${name}@${ranking}`, algorithm, forced);
  }
}
await store.close();

let seed = 12345;
const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const names = [...perMember.keys()];
for (let a = 0; a < names.length; a++) {
  for (let b = a + 1; b < names.length; b++) {
    const x = perMember.get(names[a]) as Float64Array;
    const y = perMember.get(names[b]) as Float64Array;
    const means = Array.from({ length: 2000 }, () => {
      let t = 0;
      for (let k = 0; k < n; k++) {
        const m = Math.floor(random() * n);
        t += x[m] - y[m];
      }
      return t / n;
    }).sort((p, q) => p - q);
    const diff = x.reduce((s, v, k) => s + v - y[k], 0) / n;
    console.log(`${names[a]} − ${names[b]}: ${diff.toFixed(4)}, 95% interval [${means[50].toFixed(4)}, ${means[1949].toFixed(4)}]`);
  }
}
