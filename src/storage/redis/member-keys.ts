/**
 * Where a member's online state lives in Redis. Every key of one member shares the hash tag
 * `{m:<id>}`, so Redis Cluster keeps them in one slot: one script or one pipeline touches one shard,
 * and members are sharded by slot across the cluster (ADR 0022).
 */

/** The keys of one member, in the order the scripts take them (KEYS[1..5], `keyList`). */
export interface MemberKeys {
  /**
   * hash: scalars (epoch, revision, counters, a short profile, digests of the last counting events'
   * ids), item marks `h:|r:|p:|d:<item>`, sizes `s:<size>`
   */
  state: string;
  /** sorted set: recent positives, score = ts, member = `<type code>\t<item>\t<size>\t<occasion>[\t<ts>]` */
  recent: string;
  /** list: events that arrived while the member was being rebuilt (drained by the rebuild) */
  queue: string;
  /** string: the profile as JSON (sizes, preferences, upcoming) when too long for the state hash */
  profile: string;
  /** string with a TTL: set while a node rebuilds the member from the store */
  building: string;
}

export function memberKeys(userId: string): MemberKeys {
  const tag = `{m:${userId}}`;
  return { state: tag, recent: `${tag}:r`, queue: `${tag}:q`, profile: `${tag}:p`, building: `${tag}:b` };
}

/** The number of keys every member script takes. */
export const MEMBER_KEY_COUNT = 5;

/** The keys as a script's KEYS array. */
export function keyList(k: MemberKeys): string[] {
  return [k.state, k.recent, k.queue, k.profile, k.building];
}

/**
 * The epoch: a random id the first node writes when the key is missing. Members are stamped with the
 * epoch they were built under; a Redis that came back empty has a new one, so a member stamped with
 * another is rebuilt from the store, never mistaken for one with no history. Not hash-tagged: it is
 * one key for the whole deployment (read on its own, never in a member's pipeline).
 */
export const EPOCH_KEY = 'vitrine:epoch';
