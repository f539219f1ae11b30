/**
 * An experiment's report: per variant, exposure (members, pages, item impressions) and outcomes
 * (clicks, rents) attributed through the pages they came from, three rates with 95% Wilson intervals
 * and their lift against the control variant (named "control", else the first) with 95% intervals.
 *   ctr        = clicks / impressions   (per item impression)
 *   rentRate   = rents / impressions    (per item impression)
 *   conversion = renters / users        (share of exposed members who rented from a page of the variant)
 * Impression-level rates treat impressions as independent, which members' repeated visits are not,
 * so their intervals are optimistic; `conversion` counts members, the experiment's unit of
 * randomisation, and is the one to decide on.
 */
import type { ExperimentRecord, Store, VariantCounts } from '../../storage/store.ts';
import { type Interval, type LiftInterval, liftInterval, wilsonInterval } from './intervals.ts';
import { variantLabel } from './resolve.ts';

export interface VariantReport extends VariantCounts {
  name: string;
  label: string;
  weight: number;
  control: boolean;
  ctr: Interval;
  rentRate: Interval;
  conversion: Interval;
  /** null for the control itself */
  lift: { ctr: LiftInterval; rentRate: LiftInterval; conversion: LiftInterval } | null;
}

export interface ExperimentReport {
  experimentId: string;
  status: string;
  control: string;
  confidence: number;
  methods: Record<string, string>;
  variants: VariantReport[];
}

export const REPORT_METHODS = {
  attribution: 'an event naming a page (context.pageId) counts for that stored page\'s variant; one naming no page, for its own context.variant',
  rates: 'Wilson score interval (Wilson 1927)',
  lift: 'rate ratio − 1; interval on the log scale by the delta method (Katz 1978); 0.5 added to counts when one is zero',
  ctr: 'clicks / impressions', rentRate: 'rents / impressions', conversion: 'renters / users',
};

/** The control variant: the one named "control", else the first. */
export function controlVariantName(experiment: Pick<ExperimentRecord, 'variants'>): string {
  return (experiment.variants.find((v) => v.name === 'control') ?? experiment.variants[0]).name;
}

/** The report from the experiment's config and the counts per variant label. */
export function buildExperimentReport(experiment: ExperimentRecord, counts: Record<string, VariantCounts>): ExperimentReport {
  const control = controlVariantName(experiment);
  const countsOf = (name: string) => counts[variantLabel(experiment.id, name)];
  const base = countsOf(control);
  const variants = experiment.variants.map((v): VariantReport => {
    const c = countsOf(v.name);
    const isControl = v.name === control;
    return {
      name: v.name, label: variantLabel(experiment.id, v.name), weight: v.weight, control: isControl, ...c,
      ctr: wilsonInterval(c.clicks, c.impressions),
      rentRate: wilsonInterval(c.rents, c.impressions),
      conversion: wilsonInterval(c.renters, c.users),
      lift: isControl ? null : {
        ctr: liftInterval(c.clicks, c.impressions, base.clicks, base.impressions),
        rentRate: liftInterval(c.rents, c.impressions, base.rents, base.impressions),
        conversion: liftInterval(c.renters, c.users, base.renters, base.users),
      },
    };
  });
  return { experimentId: experiment.id, status: experiment.status, control, confidence: 0.95, methods: REPORT_METHODS, variants };
}

/** Counts from the store and the report built from them. */
export async function experimentReport(store: Pick<Store, 'experimentCounts'>, experiment: ExperimentRecord): Promise<ExperimentReport> {
  const counts = await store.experimentCounts(experiment.variants.map((v) => variantLabel(experiment.id, v.name)));
  return buildExperimentReport(experiment, counts);
}
