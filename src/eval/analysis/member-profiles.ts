/**
 * What the report segments members by, from their train part only (known when the lists were made):
 * tenure (distinct train items), days since their last train interaction at the end of train, their
 * most rented size; plus the number of held-out items, which every top-K metric depends on.
 */
import type { EvalSplit } from '../splits.ts';
import { DAY_MS } from '../../core/time.ts';

export interface MemberProfiles {
  /** distinct train items, aligned with split.users */
  trainItems: Int32Array;
  /** whole days from the member's last train interaction to the end of train */
  daysSinceLast: Float64Array;
  /** the member's most rented size in train (ties: the first rented), undefined when none is known */
  size: Array<string | undefined>;
  /** relevant (held-out) items */
  heldOut: Int32Array;
}

/** Profiles of every evaluated member of `split`. */
export function memberProfiles(split: Pick<EvalSplit, 'users' | 'train' | 'trainEnd'>): MemberProfiles {
  const data = split.train.interactions;
  const nTrainUsers = data.userIds.length;
  const last = new Float64Array(nTrainUsers).fill(-Infinity);
  const sizeCounts: Array<Map<number, number> | undefined> = new Array(nTrainUsers);
  for (let r = 0; r < data.users.length; r++) {
    const u = data.users[r];
    if (data.ts[r] > last[u]) last[u] = data.ts[r];
    const s = data.sizes?.[r] ?? -1;
    if (s >= 0) {
      const counts = (sizeCounts[u] ??= new Map());
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
  }
  const indexOf = new Map<string, number>();
  data.userIds.forEach((id, u) => indexOf.set(id, u));
  const n = split.users.length;
  const out: MemberProfiles = {
    trainItems: new Int32Array(n), daysSinceLast: new Float64Array(n), size: new Array(n), heldOut: new Int32Array(n),
  };
  split.users.forEach((member, m) => {
    const u = indexOf.get(member.userId) ?? -1;
    out.trainItems[m] = member.trainItems.size;
    out.heldOut[m] = member.relevant.size;
    out.daysSinceLast[m] = u >= 0 ? Math.max(0, Math.floor((split.trainEnd - last[u]) / DAY_MS)) : Number.NaN;
    let best = -1;
    let bestCount = 0;
    for (const [s, c] of sizeCounts[u] ?? []) {
      if (c > bestCount) {
        best = s;
        bestCount = c;
      }
    }
    out.size[m] = best >= 0 ? data.sizeLabels?.[best] : undefined;
  });
  return out;
}
