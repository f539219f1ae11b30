/**
 * Where a member's online state lives in Redis. Every key of one member shares the hash tag
 * `{m:<id>}`, so Redis Cluster keeps them in one slot: one script or one pipeline touches one shard,
 * and members are sharded by slot across the cluster (ADR 0022).
 */

/** The keys of one member, in the order the scripts take them (KEYS[1..5]). */
export interface MemberKeys {
  /** hash: scalars (epoch, revision, counters), item marks `h:|r:|p:|d:<item>`, sizes `s:<size>` */
  state: string;
  /** sorted set: recent positives, score = ts, member = `<ts>\t<type code>\t<item>\t<size>\t<occasion>` */
  recent: string;
  /** sorted set: ids of the counting events (rents, fit reports) last applied, score = ts (a duplicate counts once) */
  seen: string;
  /** list: events that arrived while the member was being rebuilt (drained by the rebuild) */
  queue: string;
  /** string: the profile as JSON (sizes, preferences, upcoming), absent without one */
  profile: string;
  /** string with a TTL: set while a node rebuilds the member from the store */
  building: string;
}

export function memberKeys(userId: string): MemberKeys {
  const tag = `{m:${userId}}`;
  return { state: tag, recent: `${tag}:r`, seen: `${tag}:d`, queue: `${tag}:q`, profile: `${tag}:p`, building: `${tag}:b` };
}

/** The keys as a script's KEYS array. */
export function keyList(k: MemberKeys): string[] {
  return [k.state, k.recent, k.seen, k.queue, k.profile, k.building];
}

/**
 * The epoch: a random id the first node writes when the key is missing. Members are stamped with the
 * epoch they were built under; a Redis that came back empty has a new one, so a member stamped with
 * another is rebuilt from the store, never mistaken for one with no history. Not hash-tagged: it is
 * one key for the whole deployment (read on its own, never in a member's pipeline).
 */
export const EPOCH_KEY = 'vitrine:epoch';
