import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runEvaluate } from '../src/cli/commands/evaluate.ts';
import { DAY_MS } from '../src/core/time.ts';
import { memberProfiles } from '../src/eval/analysis/member-profiles.ts';
import { popularityBias, popularityDeciles, shareByBin } from '../src/eval/analysis/popularity-bias.ts';
import { analyseReport } from '../src/eval/analysis/report-analysis.ts';
import { segmentations } from '../src/eval/analysis/segments.ts';
import { evaluateSplit } from '../src/eval/evaluate.ts';
import { barChartSvg, htmlTable, lineChartSvg, raw } from '../src/eval/html/index.ts';
import { niceTicks, formatTick } from '../src/eval/html/svg.ts';
import { evaluationReportHtml } from '../src/eval/report-html/evaluation-page.ts';
import { outcomeSection } from '../src/eval/report-html/outcome-section.ts';
import { correlateMetricsWithOutcome } from '../src/eval/outcome/index.ts';
import { parseProtocol, splitDataset } from '../src/eval/splits.ts';
import { bootstrapMean, bootstrapStatistic } from '../src/eval/stats/bootstrap.ts';
import { seededUniform } from '../src/eval/stats/random.ts';
import { interactions } from './helpers/ml-data.ts';
import { capturing } from './helpers/capture-console.ts';

const dir = mkdtempSync(join(tmpdir(), 'vitrine-eval-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('bootstrap intervals contain the estimate, shrink with n, and repeat by seed', () => {
  const next = seededUniform(3);
  const draw = (n: number): Float64Array => Float64Array.from({ length: n }, () => (next() < 0.1 ? 1 : 0));
  const small = bootstrapMean(draw(200));
  const large = bootstrapMean(draw(20_000));
  for (const i of [small, large]) assert.ok(i.low <= i.estimate && i.estimate <= i.high, JSON.stringify(i));
  const width = (i: { low: number; high: number }): number => i.high - i.low;
  // the width goes as 1/√n: 100× the members, about 1/10 the width
  assert.ok(width(large) < width(small) / 5, `${width(large)} vs ${width(small)}`);
  assert.ok(Math.abs(large.estimate - 0.1) < 0.01);
  const v = draw(500);
  assert.deepEqual(bootstrapMean(v, { seed: 9 }), bootstrapMean(v, { seed: 9 }), 'same seed, same interval');
  assert.deepEqual(bootstrapMean([2, 2, 2]), { estimate: 2, low: 2, high: 2 }, 'no spread, no width');
  assert.ok(Number.isNaN(bootstrapMean([Number.NaN]).estimate));
  const median = bootstrapStatistic(101, (idx) => [...idx].map((j) => j).sort((a, b) => a - b)[50], { resamples: 200 });
  assert.equal(median.estimate, 50);
  assert.ok(median.low < 50 && median.high > 50);
});

test('popularity deciles: equal item counts, most popular first, ties by vocabulary order', () => {
  const bins = popularityDeciles([5, 1, 9, 1, 3], 5);
  assert.deepEqual([...bins], [1, 3, 0, 4, 2]);
  const binOf = new Map([['a', 0], ['b', 1]]);
  assert.deepEqual(shareByBin(['a', 'a', 'b', 'z'], binOf, 2), [2 / 3, 1 / 3], 'unknown ids ignored');
});

// train: A by 4 members, B 3, C 2, D 1; u1 rents C and u2 rents D after the cutoff (day 10)
const ROWS: Array<[string, string, number]> = [
  ['u1', 'A', 0], ['u2', 'A', 0], ['u3', 'A', 0], ['u4', 'A', 0], ['u2', 'B', 1], ['u3', 'B', 1], ['u4', 'B', 1],
  ['u3', 'C', 2], ['u4', 'C', 2], ['u4', 'D', 3], ['u1', 'C', 12], ['u2', 'D', 13],
];
const SPLIT = splitDataset({ name: 'test', interactions: interactions(ROWS) }, parseProtocol('global-time', new Date(10 * DAY_MS).toISOString()));

test('segments: tenure, recency and held-out buckets from the train part', () => {
  const p = memberProfiles(SPLIT);
  assert.deepEqual([...p.trainItems], [1, 2], 'u1 has A; u2 has A, B');
  assert.deepEqual([...p.daysSinceLast], [10, 9], 'last train day 0 and 1, end of train day 10');
  const segs = Object.fromEntries(segmentations(p).map((s) => [s.name, s]));
  assert.deepEqual([...segs.tenure.bucketOf].map((b) => segs.tenure.buckets[b]), ['1', '2–3']);
  assert.deepEqual([...segs.recency.bucketOf].map((b) => segs.recency.buckets[b]), ['≤ 30', '≤ 30']);
  assert.deepEqual([...segs.heldOut.bucketOf].map((b) => segs.heldOut.buckets[b]), ['1', '1']);
  assert.deepEqual([...segs.size.bucketOf].map((b) => segs.size.buckets[b]), ['unknown', 'unknown'], 'no sizes in this data');
});

test('popularity bias of popularity: every slot in the top deciles', async () => {
  const report = await evaluateSplit(SPLIT, { algorithms: ['popularity'], k: 2 });
  const bias = popularityBias(SPLIT, { popularity: report.results.popularity.lists });
  // 4 items → deciles 0, 2, 5, 7 (rank·10/4); lists [B, C] and [C, D]
  assert.deepEqual(bias.byAlgorithm.popularity.map((s, d) => [d, s]).filter(([, s]) => s > 0), [[2, 0.25], [5, 0.5], [7, 0.25]]);
  assert.equal(bias.meanPopularity.popularity, (3 + 2 + 2 + 1) / 4);
  assert.ok(Math.abs(bias.catalogue.reduce((a, b) => a + b, 0) - 1) < 1e-12);
});

/** Well-formed XML: balanced tags, quoted attributes, no bare < or & in text. */
function assertWellFormedXml(xml: string): void {
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  const stack: string[] = [];
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    assert.doesNotMatch(text, /&(?!(amp|lt|gt|quot|#\d+);)/, `bare & in "${text}"`);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    assert.ok(m, `bad tag at ${xml.slice(lt, lt + 60)}`);
    if (m[1]) assert.equal(stack.pop(), m[2], `closing </${m[2]}>`);
    else if (!m[4]) stack.push(m[2]);
    i = tag.lastIndex;
  }
  assert.deepEqual(stack, [], 'unclosed tags');
}

test('the HTML report is self-contained, names every algorithm and metric, and its SVG is well-formed', async () => {
  const report = await evaluateSplit(SPLIT, { algorithms: ['popularity', 'item-knn'], k: 2 });
  const analysis = analyseReport(report, SPLIT, { bootstrap: { resamples: 100 } });
  const html = evaluationReportHtml(report, analysis, { dataset: 'test <data>', command: 'vitrine evaluate --k 2' });
  assert.match(html, /^<!DOCTYPE html>/);
  assert.doesNotMatch(html, /(src|href)\s*=\s*["']?\s*(https?:)?\/\//i, 'nothing loaded from the network');
  assert.doesNotMatch(html, /<script|<link|@import|url\(/i, 'no script, stylesheet or font');
  assert.match(html, /test &lt;data&gt;/, 'text is escaped');
  for (const alg of ['popularity', 'item-knn']) assert.ok(html.includes(alg), alg);
  for (const metric of ['NDCG@2', 'Recall@2', 'Precision@2', 'HR@2', 'MAP@2', 'coverage']) assert.ok(html.includes(metric), metric);
  for (const section of ['Protocol and data', 'Metrics', 'Segments', 'Popularity bias']) assert.ok(html.includes(`<h2>${section}</h2>`), section);
  const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  assert.ok(svgs.length >= 10, `${svgs.length} charts`);
  for (const svg of svgs) assertWellFormedXml(svg);
});

test('a user-time report names its protocol and renders every section but the outcome', async () => {
  const rows: Array<[string, string, number]> = [['w', 'f', 0]]; // w (one item, never held out) puts f in the vocabulary
  for (const u of ['x', 'y', 'z']) ['a', 'b', 'c', 'd', 'e', 'f'].forEach((i, d) => rows.push([u, i, d + (u === 'z' ? 10 : 0)]));
  const split = splitDataset({ name: 'test', interactions: interactions(rows) }, parseProtocol('user-time'));
  const report = await evaluateSplit(split, { algorithms: ['popularity'], k: 3 });
  const html = evaluationReportHtml(report, analyseReport(report, split, { bootstrap: { resamples: 50 } }), { dataset: 'test' });
  assert.match(html, /user-time: each member with ≥ 5 distinct items holds out/);
  assert.doesNotMatch(html, /<h2>Outcome correlation<\/h2>/);
  for (const svg of html.match(/<svg[\s\S]*?<\/svg>/g) ?? []) assertWellFormedXml(svg);
});

test('chart blocks: error bars, baselines, legends, escaped labels; tables escape text and keep markup', () => {
  const bars = barChartSvg({
    title: 'AUC <test>', yLabel: 'AUC', baseline: 0.5, yMin: 0.4, categories: ['a', 'b'],
    series: [{ name: 'x & y', values: [{ value: 0.6, low: 0.55, high: 0.65 }, undefined] }], standalone: true,
  });
  assertWellFormedXml(bars);
  assert.match(bars, /xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, 'standalone SVG has its namespace');
  assert.match(bars, /AUC &lt;test&gt;/);
  assert.match(bars, /x &amp; y/);
  assert.match(bars, /stroke-dasharray="4 3"/, 'the 0.5 baseline is drawn');
  assert.equal((bars.match(/<rect/g) ?? []).length, 2, 'one bar and one legend swatch');
  const line = lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [[1, 0.1], [2, Number.NaN], [3, 0.3]] }] });
  assertWellFormedXml(line);
  assert.equal((line.match(/<circle/g) ?? []).length, 2, 'NaN points are skipped');
  const table = htmlTable({ columns: [{ label: 'a' }, { label: 'b', numeric: true }], rows: [['<x>', raw('<b>1</b>')]] }).html;
  assert.match(table, /<td>&lt;x&gt;<\/td><td class="num"><b>1<\/b><\/td>/);
  assert.deepEqual(niceTicks(0, 0.01), [0, 0.002, 0.004, 0.006, 0.008, 0.01]);
  assert.deepEqual(niceTicks(0, 0.0125, 5).map((t, _, all) => formatTick(t, all)), ['0.0000', '0.0025', '0.0050', '0.0075', '0.0100', '0.0125']);
});

test('the outcome section renders a degenerate outcome (everyone retained: no AUC) without NaN in the markup', () => {
  const rows = correlateMetricsWithOutcome({ ndcg: [0, 0.5, 1], recall: [0, 0, 0] }, [1, 1, 1]);
  const html = outcomeSection({ definition: 'all stayed', members: 3, retained: 3, churned: 0, byAlgorithm: { sim: rows } }, 10).html;
  for (const svg of html.match(/<svg[\s\S]*?<\/svg>/g) ?? []) {
    assertWellFormedXml(svg);
    assert.doesNotMatch(svg, /="[^"]*NaN/, 'no NaN coordinates');
  }
  assert.match(html, /NDCG@10/);
});

const capture = capturing(runEvaluate);

function writeRtrCsv(): string {
  const header = 'fit,user_id,item_id,rating,rented_for,category,size,body_type,age,weight_lbs,height_in,bust_size_num,bust_size_letter,review_date,recommend';
  const rows = [...ROWS, ['u1', 'B', 25], ['u9', 'A', 29]] as Array<[string, string, number]>;
  const csv = [header, ...rows.map(([u, i, day]) => `fit,${u},${i},10.0,party,dress,8,hourglass,30.0,130.0,65.0,34.0,b,${new Date(day * DAY_MS).toISOString().slice(0, 10)},1`)];
  const file = join(dir, 'rtr.csv');
  writeFileSync(file, `${csv.join('\n')}\n`);
  return file;
}

test('evaluate --html --json --outcome churn: the report files, documented JSON fields kept, outcome on stdout', async () => {
  const file = writeRtrCsv();
  const html = join(dir, 'out', 'report.html');
  const json = join(dir, 'out', 'report.json');
  const r = await capture(['--file', file, '--protocol', 'global-time', '--cutoff', '1970-01-11', '--k', '2', '--algorithms', 'popularity',
    '--html', html, '--json', json, '--outcome', 'churn', '--horizon', '10d', '--bootstrap', '100']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /outcome: retained = at least one rental or purchase in the 10-day horizon 1970-01-21 … 1970-01-31/);
  assert.match(r.out, /2 members with an outcome: 1 retained, 1 churned/);
  const page = readFileSync(html, 'utf8');
  assert.ok(page.includes('<h2>Outcome correlation</h2>') && page.includes('Misra, Wan &amp; McAuley'));
  const doc = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown> & { results: Record<string, Record<string, unknown>> };
  assert.deepEqual([doc.protocol, doc.k, doc.users, doc.items], ['global-time', 2, 2, 4]);
  const pop = doc.results.popularity;
  for (const key of ['ndcg', 'recall', 'precision', 'hitRate', 'map', 'coverage', 'trainSeconds']) assert.equal(typeof pop[key], 'number', key);
  const intervals = pop.intervals as Record<string, { estimate: number; low: number; high: number }>;
  assert.equal(intervals.ndcg.estimate, Number((pop.ndcg as number).toPrecision(6)));
  for (const key of ['bootstrap', 'dataRange', 'segments', 'popularityBias', 'outcome']) assert.ok(key in doc, key);
  const outcome = doc.outcome as {
    byAlgorithm: Record<string, Array<{ rank: number; metric: string }>>; window: { horizonFrom: string }; activityReference: { metric: string };
  };
  assert.equal(outcome.byAlgorithm.popularity.length, 5);
  assert.equal(outcome.activityReference.metric, 'held-out items (activity)');
  assert.equal(outcome.window.horizonFrom, '1970-01-21T00:00:00.000Z');
});

test('evaluate --outcome-csv reports bad rows by line; bad outcome options are clear errors', async () => {
  const file = writeRtrCsv();
  const outcomes = join(dir, 'outcomes.csv');
  writeFileSync(outcomes, 'userId,retained\nu1,1\nu2,0\nghost,1\nu1,2\n');
  const base = ['--file', file, '--protocol', 'global-time', '--cutoff', '1970-01-11', '--k', '2', '--algorithms', 'popularity'];
  const r = await capture([...base, '--outcome-csv', outcomes]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /outcomes\.csv:4: skipped: member "ghost" is not an evaluated member/);
  assert.match(r.err, /outcomes\.csv:5: skipped: "2" is not 1\/0/);
  assert.match(r.out, /2 members with an outcome: 1 retained, 1 churned/);
  const late = await capture([...base, '--outcome', 'churn', '--horizon', '10d', '--outcome-from', '1970-01-25']);
  assert.equal(late.code, 1);
  assert.match(late.err, /VITRINE_EVAL_BAD_OUTCOME: .*ends after the data/);
  const userTime = await capture(['--file', file, '--protocol', 'user-time', '--outcome', 'churn']);
  assert.equal(userTime.code, 1);
  assert.match(userTime.err, /VITRINE_EVAL_(BAD_OUTCOME|NO_USERS)/);
  assert.equal((await capture([...base, '--outcome', 'happiness'])).code, 2, 'unknown outcome is a usage error');
  assert.equal((await capture([...base, '--horizon', '60d'])).code, 2, '--horizon without --outcome churn');
  assert.equal((await capture([...base, '--outcome', 'churn', '--outcome-csv', outcomes])).code, 2, 'both outcome sources');
});
