/**
 * The fit filter of one request, or the named fallback that says it is missing. A member with a size
 * gets the fit model's filter and boost (fit-adjust.ts); when there is no fit model to ask (none
 * trained, or its version was rejected) or every prediction it gave failed, the page lists the
 * fallback `fit-filter` — `used: ["size-availability"]`: the business filter (units in the member's
 * size) still applies, only the fit prediction is lost.
 */
import type { MemberSnapshot, ModelManager } from '../../engine/contracts.ts';
import { type FitAdmitter, fitAdmitter, type FitOptions } from './fit-adjust.ts';
import { asFitPredictor } from '../../../ml/model-abilities.ts';
import type { FallbackNote } from '../types.ts';

export const FIT_FILTER_KIND = 'fit-filter';

export interface FitFilter {
  /** undefined when there is no size to fit or no model to ask */
  admit?: FitAdmitter;
  /** why the fit filter did not run, as a page-level fallback note (after `admit` ran: see `fitFilterNote`) */
  missing?: FallbackNote;
}

const note = (cause: 'unavailable' | 'error', message: string): FallbackNote => ({
  rowId: 'page', kind: FIT_FILTER_KIND, used: ['size-availability'], failed: [{ source: 'fit-model', cause, message }],
});

/** The fit filter for `member` in `size` (their main size, or the size a list asked for). */
export function fitFilterFor(models: ModelManager | undefined, member: MemberSnapshot, size: string | undefined, opts: () => FitOptions): FitFilter {
  if (size === undefined) return {};
  const fit = asFitPredictor(models?.current('fit')?.model);
  if (!fit) return { missing: note('unavailable', 'no fit model is active: items are filtered by availability in the size only') };
  return { admit: fitAdmitter(fit, member.userId, size, opts()) };
}

/** True when a fit reason ("Runs true to size for you") would be true for this member: they have given fit feedback. */
export function hasFitHistory(member: MemberSnapshot): boolean {
  return (member.fitReports ?? 0) > 0;
}

/** The note to list once the request is assembled: the model missing, or every prediction it was asked for failing. */
export function fitFilterNote(filter: FitFilter): FallbackNote | undefined {
  if (filter.missing) return filter.missing;
  const tally = filter.admit?.tally();
  if (tally && tally.failed > 0 && tally.predicted === 0) {
    return note('error', `the fit model gave no usable prediction (${tally.failed} asked): items are filtered by availability in the size only`);
  }
  return undefined;
}

/** True when every note is a fit model that is simply not there: a state that holds until a model swap, so the page may be reused. */
export function onlyFitModelMissing(notes: readonly FallbackNote[]): boolean {
  return notes.every((n) => n.kind === FIT_FILTER_KIND && n.failed.every((f) => f.cause === 'unavailable'));
}
