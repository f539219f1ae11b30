/**
 * Which variant config a member's page uses. Variants are labelled `<experimentId>:<variantName>` on
 * pages and events, so two experiments that both name a variant "control" never mix in a report.
 * TODO(layers): when several experiments run at once, a member takes part only in the oldest running
 * one (createdAt, then id); the younger ones get members as soon as it stops. Running two at once on
 * the same members needs layered (mutually exclusive or orthogonal) traffic, not built yet.
 */
import type { ExperimentRecord } from '../../storage/store.ts';
import { NO_EXPERIMENT, type ResolvedVariant } from '../page/types.ts';
import { assignVariant } from './assign.ts';

/** The label pages and events carry for a variant. */
export function variantLabel(experimentId: string, variantName: string): string {
  return `${experimentId}:${variantName}`;
}

/** The experiment that decides members' variants now: the oldest running one. */
export function decidingExperiment<E extends Pick<ExperimentRecord, 'id' | 'status' | 'createdAt'>>(experiments: readonly E[]): E | undefined {
  let best: E | undefined;
  for (const e of experiments) {
    if (e.status !== 'running') continue;
    if (!best || e.createdAt < best.createdAt || (e.createdAt === best.createdAt && e.id < best.id)) best = e;
  }
  return best;
}

/** The member's variant and its config among the running experiments; NO_EXPERIMENT when none runs. */
export function resolveVariantConfig(userId: string, runningExperiments: readonly ExperimentRecord[]): ResolvedVariant {
  const experiment = decidingExperiment(runningExperiments);
  if (!experiment) return NO_EXPERIMENT;
  const variant = assignVariant(userId, experiment);
  if (!variant) return NO_EXPERIMENT;
  return { variant: variantLabel(experiment.id, variant.name), experimentId: experiment.id, config: variant.config };
}
