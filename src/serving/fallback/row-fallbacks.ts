/**
 * The steps of a row's fallback chain, in the configured order (serving.fallbackChain): the row's own
 * source with the current models, with the previous versions, the same row on the last page served
 * to this member, popularity in the member's segment, and the static list that cannot fail. Which
 * steps a row takes depends on what its title promises (RowSource.fallbacks).
 */
import type { FallbackSource } from '../../core/config.ts';
import type { ImpressionRecord } from '../../storage/store.ts';
import type { ModelManager } from '../engine/contracts.ts';
import { type ChainStep, SourceUnavailable } from './fallback-chain.ts';
import { NEVER_ABORTED } from './deadline.ts';
import { checkScoredItems } from './model-output.ts';
import type { StaticList } from './static-list.ts';
import { asSegmentedPopularity } from '../../ml/model-abilities.ts';
import { modelPicker } from './model-picker.ts';
import { reasons } from '../page/compose/reasons.ts';
import {
  candidatesFor, filterOptions, type ModelPicker, type PageContext, rankedFromShared, rankedItems, recommendChecked, type RowFill, type RowPlan, type RowSource, withReason,
} from '../page/compose/row-source.ts';

export interface FallbackDeps {
  models: ModelManager | undefined;
  /** the variant's primary model (algorithm or version), else the manager's */
  primary?: string;
  chain: readonly FallbackSource[];
  /** the member's last served page, fetched once per request */
  lastPage: () => Promise<ImpressionRecord | null>;
  staticList: StaticList;
}

const BOUND_STEPS: ReadonlySet<FallbackSource> = new Set(['current-model', 'previous-model', 'last-page']);
const MODEL_STEPS: ReadonlySet<FallbackSource> = new Set(['current-model', 'previous-model']);

/** The model picker a chain step handed to its row, by step. */
export interface StepPicker {
  source: FallbackSource;
  picker: ModelPicker;
}

/** The chain of `plan`'s row; `pickers` collects the pickers handed out so the caller can tell which versions served. */
export function rowChain(
  ctx: PageContext, plan: RowPlan, source: RowSource, deps: FallbackDeps, pickers: StepPicker[],
): Array<ChainStep<RowFill>> {
  const allowed = source.fallbacks === 'generic' ? undefined : source.fallbacks === 'bound' ? BOUND_STEPS : MODEL_STEPS;
  const steps: Array<ChainStep<RowFill>> = [];
  for (const name of deps.chain) {
    if (allowed && !allowed.has(name)) continue;
    if (name === 'current-model' || name === 'previous-model') {
      const which = name === 'current-model' ? 'current' : 'previous';
      const fill = (signal: AbortSignal): Promise<RowFill> => {
        const picker = modelPicker(deps.models, which, deps.primary);
        pickers.push({ source: name, picker });
        return source.fill(ctx, plan, picker, signal);
      };
      // a fill declared without the signal never reads it: no AbortController for it (withDeadline
      // makes one only for a task that takes the signal; ~7 µs each, on every row of every page)
      steps.push({ source: name, run: source.fill.length >= 4 ? fill : () => fill(NEVER_ABORTED) });
    } else if (name === 'last-page') steps.push({ source: name, run: () => fromLastPage(ctx, plan, source, deps) });
    else if (name === 'segment-popularity') steps.push({ source: name, run: () => fromSegmentPopularity(ctx, plan, deps) });
    else steps.push({ source: name, infallible: true, run: () => fromStaticList(ctx, plan, deps.staticList) });
  }
  if (source.fallbacks === 'own' && source.fallback) {
    const own = source.fallback.bind(source);
    steps.push({ source: `${plan.kind}-default`, infallible: true, run: () => safely(() => own(ctx, plan)) });
  }
  return steps;
}

/** The same row (else, for generic rows, the same kind) on the member's last page, still servable. */
async function fromLastPage(ctx: PageContext, plan: RowPlan, source: RowSource, deps: FallbackDeps): Promise<RowFill> {
  const last = await deps.lastPage();
  const row = last?.rows.find((r) => r.rowId === plan.rowId) ?? (source.fallbacks === 'generic' ? last?.rows.find((r) => r.kind === plan.kind) : undefined);
  const items = row ? rankedItems(row.items, ctx.allowed, plan.size, reasons.fromLastVisit) : [];
  if (items.length === 0) throw new SourceUnavailable('nothing servable on the last page');
  return { items };
}

/** What is popular in the member's sizes (online counts), else overall, else the popularity model. */
async function fromSegmentPopularity(ctx: PageContext, plan: RowPlan, deps: FallbackDeps): Promise<RowFill> {
  const n = candidatesFor(ctx, plan.size);
  for (const size of ctx.member.sizes) {
    const items = rankedFromShared(ctx.signals.top(`size:${size}`).ids, ctx.allowed, n, reasons.popularInSize(size));
    if (items.length > 0) return { items };
  }
  const overall = rankedFromShared(ctx.signals.top('all').ids, ctx.allowed, n, reasons.popularWithMembers);
  if (overall.length > 0) return { items: overall };
  const handle = deps.models?.current('popularity');
  if (!handle) throw new SourceUnavailable('no popularity counted or loaded', true);
  const segmented = asSegmentedPopularity(handle.model);
  const size = ctx.member.sizes.find((s) => segmented?.segments.includes(s));
  if (segmented && size !== undefined) {
    const scored = checkScoredItems(await segmented.bySegment(size, n, filterOptions(ctx.allowed)), (id) => !!ctx.catalogue.get(id), handle.version);
    return { items: withReason(scored, reasons.popularInSize(size)) };
  }
  return { items: withReason(await recommendChecked(handle, { userId: ctx.member.userId }, n, ctx), reasons.popularWithMembers) };
}

/** The static list, filtered for the member; if even the filter fails, the list minus what they hold. */
function fromStaticList(ctx: PageContext, plan: RowPlan, list: StaticList): RowFill {
  const ids = list.items(ctx.now);
  return safely(
    () => ({ items: rankedItems(ids, ctx.allowed, candidatesFor(ctx, plan.size), reasons.popularPicks) }),
    () => ({ items: rankedItems(ids, (id) => !ctx.member.held.has(id), plan.size, reasons.popularPicks) }),
  );
}

/** `fn()`, or `otherwise()` (default: an empty row) when it throws: for steps that must not fail. */
function safely(fn: () => RowFill, otherwise: () => RowFill = () => ({ items: [] })): RowFill {
  try {
    return fn();
  } catch {
    try {
      return otherwise();
    } catch {
      return { items: [] };
    }
  }
}
