/**
 * The simulation as a self-contained HTML page, built from the evaluation report's blocks
 * (src/eval/html): the headline per variant, charts with intervals, each variant against the
 * control, CTR per row kind, fallbacks, offline metrics on the simulated history, and which offline
 * metric tracked simulated retention.
 */
import type { MetricOutcomeRow } from '../../eval/outcome/metric-outcome.ts';
import {
  barChartSvg, chartRow, contents, figure, htmlDocument, htmlTable, list, note, paragraph, section, type Cell, type Html,
} from '../../eval/html/index.ts';
import type { Interval } from '../../serving/experiments/intervals.ts';
import type { MeanInterval, SimulationResult } from './summary.ts';

const pct = (x: number | null): string => (x === null || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(1)}%`);
const num = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : '—');
const rate = (i: Interval): string => `${pct(i.rate)} [${pct(i.low)}, ${pct(i.high)}]`;
const mean = (i: MeanInterval, d = 3): string => `${num(i.mean, d)} [${num(i.low, d)}, ${num(i.high, d)}]`;
const bar = (i: Interval) => (i.rate === null ? undefined : { value: i.rate, low: i.low ?? undefined, high: i.high ?? undefined });

const TITLES = ['Outcomes', 'Against the control', 'CTR by row kind', 'Fallbacks', 'Offline metrics on the simulated history',
  'Which offline metric tracks retention', 'How the simulation works'];

/** The report page. */
export function simulationHtml(r: SimulationResult, footer?: string): string {
  const o = r.options;
  const names = r.variants.map((v) => `${v.name} (${v.algorithm})`);
  const kinds = [...new Set(r.variants.flatMap((v) => Object.keys(v.rowKinds)))].sort();
  const sections: Html[] = [
    contents(TITLES),
    section(TITLES[0],
      htmlTable({
        columns: [{ label: 'variant' }, { label: 'algorithm' }, { label: 'members', numeric: true }, { label: 'retention [95%]', numeric: true },
          { label: 'rents per member [95%]', numeric: true }, { label: 'visits', numeric: true }, { label: 'pages with a fallback', numeric: true }],
        rows: r.variants.map((v) => [v.name, v.algorithm, v.members, rate(v.retention), mean(v.rentsPerMember), v.visits, rate(v.fallbacks.rate)]),
        caption: 'Retention: members not cancelled by the last simulated day (Wilson interval). Rents per member: bootstrap interval.',
      }),
      chartRow([
        figure(barChartSvg({ title: 'Retention', yLabel: 'share retained', categories: ['retention'], ...zoomed(r.variants.map((v) => v.retention.low ?? 0)),
          series: r.variants.map((v, k) => ({ name: names[k], values: [bar(v.retention)] })) })),
        figure(barChartSvg({ title: 'Rents per member', yLabel: 'rents', categories: ['rents per member'],
          series: r.variants.map((v, k) => ({ name: names[k], values: [{ value: v.rentsPerMember.mean, low: v.rentsPerMember.low, high: v.rentsPerMember.high }] })) })),
      ])),
    section(TITLES[1], htmlTable({
      columns: [{ label: 'variant' }, { label: 'against' }, { label: 'retention difference [95%]', numeric: true },
        { label: 'retention lift [95%]', numeric: true }, { label: 'rents per member difference', numeric: true }],
      rows: r.comparisons.map((c) => [c.variant, c.against,
        `${pct(c.retentionDifference.value)} [${pct(c.retentionDifference.low)}, ${pct(c.retentionDifference.high)}]`,
        `${pct(c.retentionLift.value)} [${pct(c.retentionLift.low)}, ${pct(c.retentionLift.high)}]`, num(c.rentsPerMemberDifference)]),
      caption: 'Difference of proportions: Newcombe hybrid score interval; lift: rate ratio − 1, Katz log interval.',
    })),
    section(TITLES[2],
      htmlTable({
        columns: [{ label: 'row kind' }, ...r.variants.flatMap((v) => [{ label: `${v.name}: shown`, numeric: true }, { label: `${v.name}: CTR [95%]`, numeric: true }])],
        rows: kinds.map((kind) => [kind, ...r.variants.flatMap((v): Cell[] => {
          const k = v.rowKinds[kind];
          return k ? [k.shown, rate(k.ctr)] : ['—', '—'];
        })]),
        caption: 'CTR = clicks / items shown, as the experiment report counts it (Wilson intervals treat impressions as independent: optimistic).',
      }),
      figure(barChartSvg({ title: 'Clicks per item looked at, by row kind', yLabel: 'clicks / examined', categories: kinds, width: 900,
        series: r.variants.map((v, k) => ({ name: names[k], values: kinds.map((kind) => (v.rowKinds[kind] ? bar(v.rowKinds[kind].ctrExamined) : undefined)) })) }))),
    section(TITLES[3], htmlTable({
      columns: [{ label: 'variant' }, { label: 'pages', numeric: true }, { label: 'with a fallback', numeric: true }, { label: 'sources used instead' }, { label: 'failures by cause' }],
      rows: r.variants.map((v) => [v.name, v.fallbacks.pages, v.fallbacks.pagesWithFallback, describeCounts(v.fallbacks.bySource), describeCounts(v.fallbacks.byCause)]),
    }), note('Every page is also checked for items the member held at the time and for the variant label: '
      + r.variants.map((v) => `${v.name}: ${v.invariants.heldShown} held items shown, ${v.invariants.misassigned} mislabelled pages`).join('; ') + '.')),
    section(TITLES[4], htmlTable({
      columns: [{ label: 'variant' }, { label: 'members evaluated', numeric: true },
        ...Object.keys(r.variants[0].offline.metrics).map((m) => ({ label: `${m}@${r.variants[0].offline.k} [95%]`, numeric: true }))],
      rows: r.variants.map((v) => [v.name, v.offline.evaluated, ...Object.values(v.offline.metrics).map((m) => mean(m, 4))]),
    }), note('Each variant’s model, trained on the warm-up, ranks its top K for each of the variant’s members; the relevant items are what '
      + 'the member rented during the simulation and had not rented before. Those rents happened on pages the same model served, so the '
      + 'scores favour the model that served them (off-policy bias): compare variants by their outcomes above.')),
    section(TITLES[5],
      paragraph('Per member: the offline metric of the model that served them against whether they were still a member at the end '
        + '(point-biserial r and AUC, 95% intervals; src/eval/outcome). Members without a new rent during the simulation have no metric and are left out.'),
      outcomeTable('All members, pooled', r.pooledMetricsVsRetention),
      ...r.variants.map((v) => outcomeTable(`${v.name} (${v.algorithm})`, v.metricsVsRetention))),
    section(TITLES[6], list([
      `World: ${o.members.toLocaleString('en')} members, ${o.items.toLocaleString('en')} items, seed ${o.seed}; ${o.warmupDays} warm-up days generated by the world's own generator (${r.warmupEvents.toLocaleString('en')} events imported), then ${o.days} simulated days.`,
      `Each variant is served by the real app (buildApp, app.inject) with the experiment running; the variant's algorithm serves the for-you row; page: ${o.page === 'for-you' ? 'the for-you row only' : 'the default home template'}, ${o.rows} rows × ${o.rowSize} items, fixed row order.`,
      `Members look along a row with probability ${r.model.examineNextItem} per item and down to the next row with probability ${r.model.examineNextRow}, and respond with the generator's member model (src/sim/world/behaviour.ts): click, heart, rent in a free size, dismiss; returns come back with fit feedback; disappointment raises the churn hazard.`,
      'Variants run in their own app with their own members (the experiment\u2019s hash over all variants) and a share of the stock; see docs/simulator.md.',
    ])),
  ];
  return htmlDocument({
    title: `Closed-loop simulation: ${r.variants.map((v) => `${v.name}=${v.algorithm}`).join(', ')}`,
    subtitle: `${o.members.toLocaleString('en')} members × ${o.days} days, seed ${o.seed}`,
    sections, ...(footer ? { footer } : {}),
  });
}

function outcomeTable(caption: string, rows: MetricOutcomeRow[]): Html {
  return htmlTable({
    caption,
    columns: [{ label: 'metric' }, { label: 'members', numeric: true }, { label: 'retained / churned', numeric: true },
      { label: 'mean if retained', numeric: true }, { label: 'mean if churned', numeric: true }, { label: 'r [95%]', numeric: true }, { label: 'AUC [95%]', numeric: true }],
    rows: rows.map((row) => [row.metric, row.n, `${row.retained} / ${row.churned}`, num(row.meanRetained, 4), num(row.meanChurned, 4),
      `${num(row.r.r)} [${num(row.r.low)}, ${num(row.r.high)}]`, `${num(row.auc.auc)} [${num(row.auc.low)}, ${num(row.auc.high)}]`]),
  });
}

/** Retention sits near 1: start the axis below the lowest interval so that differences show. */
function zoomed(lows: number[]): { yMin: number; baseline: number; yMax: number } {
  const yMin = Math.max(0, Math.floor((Math.min(...lows) - 0.05) * 20) / 20);
  return { yMin, baseline: yMin, yMax: 1 };
}

function describeCounts(counts: Record<string, number>): string {
  const parts = Object.entries(counts).map(([k, n]) => `${k} ${n}`);
  return parts.length ? parts.join(', ') : 'none';
}
