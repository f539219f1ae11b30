/** The popularity-bias curve: share of recommendations per item-popularity decile, against catalogue, train and test. */
import type { PopularityBias } from '../analysis/popularity-bias.ts';
import { figure, htmlTable, lineChartSvg, note, section, type Html } from '../html/index.ts';

const REFERENCE_COLOURS = ['#6e7781', '#1f2328', '#8250df'];

export function popularitySection(bias: PopularityBias, algorithms: string[]): Html {
  const deciles = Array.from({ length: bias.bins }, (_, d) => d + 1);
  const points = (shares: number[]): Array<[number, number]> => shares.map((s, d) => [d + 1, s]);
  const series = [
    ...algorithms.map((a) => ({ name: a, points: points(bias.byAlgorithm[a]) })),
    { name: 'catalogue (items)', points: points(bias.catalogue), dashed: true, colour: REFERENCE_COLOURS[0] },
    { name: 'train interactions', points: points(bias.train), dashed: true, colour: REFERENCE_COLOURS[1] },
    { name: 'held-out test items', points: points(bias.test), dashed: true, colour: REFERENCE_COLOURS[2] },
  ];
  const chart = lineChartSvg({
    title: 'Share of recommendations by item-popularity decile', xLabel: 'train popularity decile (1 = most popular 10% of items)',
    yLabel: 'share of recommendation slots', series, yMin: 0, width: 900, height: 360,
    xTicks: deciles.map((d) => ({ x: d, label: String(d) })),
  });
  const table = htmlTable({
    columns: [{ label: 'algorithm' }, { label: 'share in decile 1', numeric: true }, { label: 'share in deciles 6–10', numeric: true },
      { label: 'mean popularity of a recommended item', numeric: true, title: 'distinct train members' }],
    rows: [
      ...algorithms.map((a) => [a, pct(bias.byAlgorithm[a][0]), pct(sum(bias.byAlgorithm[a].slice(5))), bias.meanPopularity[a].toFixed(1)]),
      ['held-out test items', pct(bias.test[0]), pct(sum(bias.test.slice(5))), '—'],
    ],
  });
  return section('Popularity bias', figure(chart), table,
    note('Items are ranked by train popularity (distinct train members) and cut into 10 deciles of equal item count. '
      + 'An algorithm above the held-out curve at decile 1 recommends the head more than members actually rent it; '
      + 'the catalogue curve (10% each) is what uniform exposure would look like.'));
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
