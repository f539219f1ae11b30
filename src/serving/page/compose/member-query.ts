/**
 * How a member is presented to a model, best first: their cached fold-in vector (models with member
 * factors), their live positives (so the last rent counts at once), their id (as trained), their
 * onboarding answers as a content-space vector. A member with no positive newer than the model's
 * data is asked by id before their positives: the model saw all of it, and knows more of them than a
 * list of recent items says (the hybrid: their sizes and occasions, their whole history; asked with
 * the list it ranks without size, NDCG@10 0.0099 against 0.0157 on RTR). A model that does not know
 * the member is asked the next way; that is cold start, not a failure, so it never reaches the fallback
 * chain. The model is asked whether it knows the member before it is asked about them (Model.knowsUser):
 * for members drawn from the whole population that was a thrown and caught error on nearly every page.
 */
import { VitrineError } from '../../../core/errors.ts';
import type { UserQuery } from '../../../ml/model.ts';
import type { ModelHandle } from '../../engine/contracts.ts';
import { preferenceVector } from '../../../ml/model-abilities.ts';
import type { PageContext } from './row-source.ts';

// what a model folds in: the most recent positives are plenty and keep fold-in cheap
const MAX_INTERACTIONS = 100;

/**
 * The member's queries for `handle`'s model, best first (possibly none: a member with nothing to go on).
 * Lazy: the first usually answers, so the later ones (a copy of the recent positives, a content-space
 * vector) are built only when a model does not know the member that way.
 */
export function* memberQueries(ctx: Pick<PageContext, 'member' | 'foldIn'>, handle: ModelHandle): Generator<UserQuery> {
  const { member } = ctx;
  const folded = ctx.foldIn?.(handle);
  if (folded) yield { vector: folded };
  const positives = member.recent.filter((r) => r.weight > 0);
  // recent is newest first: the model has seen everything when it has seen the newest
  const seenAll = positives.length === 0 || positives[0].ts <= (handle.model.manifest.dataTo ?? -Infinity);
  if (member.known && seenAll) yield { userId: member.userId };
  if (positives.length > 0) {
    yield { interactions: positives.slice(0, MAX_INTERACTIONS).map((r) => ({ itemId: r.itemId, weight: r.weight, ts: r.ts })) };
  }
  if (member.known && !seenAll) yield { userId: member.userId };
  const vector = preferenceVector(handle.model, member.preferences);
  if (vector) yield { vector };
}

/** True when `err` says the model does not know this member (or item): ask another way (models without knowsUser / knowsItem). */
export function isUnknownToModel(err: unknown): boolean {
  return err instanceof VitrineError && (err.code === 'VITRINE_MODEL_UNKNOWN_USER' || err.code === 'VITRINE_MODEL_UNKNOWN_ITEM');
}

/**
 * The first answer of `ask` over the member's queries; undefined when the model knows the member in
 * none of them. Other errors propagate (they are failures).
 */
export async function askAsMember<T>(
  ctx: Pick<PageContext, 'member' | 'foldIn'>, handle: ModelHandle, ask: (query: UserQuery) => T | Promise<T>,
): Promise<T | undefined> {
  const { model } = handle;
  for (const query of memberQueries(ctx, handle)) {
    if (model.knowsUser?.(query) === false) continue;
    try {
      return await ask(query);
    } catch (err) {
      if (!isUnknownToModel(err)) throw err;
    }
  }
  return undefined;
}
