/**
 * A member's Redis keys read back as the MemberSnapshot the page composer uses: the same answers
 * member-snapshot.ts gives for the in-process state (the contract suite checks both).
 */
import type { UpcomingOccasion, User, UserPreferences } from '../../../core/types.ts';
import type { MemberSnapshot, RecentInteraction } from '../../engine/contracts.ts';
import { EVENT_TYPES } from '../../../core/types.ts';
import { POSITIVE_WEIGHT, tenureOf } from '../event-signals.ts';

// dated occasions kept per member, as in-process (member-events.ts)
const MAX_UPCOMING = 64;

/** What a rebuild or a profile change writes: sizes, preferences and dated occasions, short field names. */
interface StoredProfile {
  s?: string[];
  p?: UserPreferences;
  u?: UpcomingOccasion[];
}

/** The member's profile as stored in Redis; '' without a member (the key is then deleted). */
export function profileJson(user: User | null): string {
  if (!user) return '';
  const hasPrefs = Object.values(user.preferences ?? {}).some((v) => Array.isArray(v) && v.length > 0);
  const profile: StoredProfile = {};
  // as the in-process ProfileInterner: sizes and preferences count only when one of them says something
  if (user.sizes?.length || hasPrefs) {
    profile.s = [...(user.sizes ?? [])];
    profile.p = user.preferences;
  }
  if (user.upcoming?.length) profile.u = user.upcoming.slice(0, MAX_UPCOMING).map((u) => ({ occasion: u.occasion, date: u.date }));
  return JSON.stringify(profile);
}

/** The raw replies of a member read: HGETALL of the state hash, ZREVRANGE … WITHSCORES of recent, GET of the long-profile key. */
export interface RawMember {
  state: Record<string, string>;
  recent: string[];
  profile: string | null;
}

export function snapshotFromRedis(userId: string, raw: RawMember): MemberSnapshot {
  const held = new Set<string>();
  const returned = new Map<string, number>();
  const purchased = new Set<string>();
  const dismissed = new Set<string>();
  const learned: Array<{ size: string; score: number; order: number }> = [];
  for (const [field, value] of Object.entries(raw.state)) {
    const kind = field.slice(0, 2);
    const name = field.slice(2);
    if (kind === 'h:') held.add(name);
    else if (kind === 'r:') returned.set(name, Number(value));
    else if (kind === 'p:') purchased.add(name);
    else if (kind === 'd:') dismissed.add(name);
    else if (kind === 's:') {
      const [rents, fitScore, order] = value.split('|').map(Number);
      if (rents + fitScore > 0) learned.push({ size: name, score: rents + fitScore, order });
    }
  }
  const json = raw.state.pf ?? raw.profile;
  const profile: StoredProfile = json ? JSON.parse(json) as StoredProfile : {};
  const sizes = profile.s && profile.s.length > 0 ? [...profile.s]
    : learned.sort((x, y) => y.score - x.score || x.order - y.order).map((s) => s.size);
  const snapshot: MemberSnapshot = {
    userId,
    known: raw.state.kn === '1',
    sizes,
    preferences: profile.p ?? {},
    upcoming: profile.u ?? [],
    held, returned, purchased, dismissed,
    recent: recentOf(raw.recent),
    segment: `size:${sizes[0] ?? 'any'}|tenure:${tenureOf(Number(raw.state.rn ?? 0))}`,
    revision: Number(raw.state.rv ?? 0),
    fitReports: Number(raw.state.fr ?? 0),
  };
  if (raw.state.le !== undefined) snapshot.lastEventAt = Number(raw.state.le);
  return snapshot;
}

/** `<type code>\t<item>\t<size>\t<occasion>[\t<ts>]` entries with their scores (the ts), newest first. */
function recentOf(flat: readonly string[]): RecentInteraction[] {
  const out: RecentInteraction[] = [];
  for (let j = 0; j < flat.length; j += 2) {
    const [code, itemId, size, occasion] = flat[j].split('\t');
    const type = EVENT_TYPES[Number(code)];
    const entry: RecentInteraction = { itemId, type, ts: Number(flat[j + 1]), weight: POSITIVE_WEIGHT[type] ?? 0 };
    if (size) entry.size = size;
    if (occasion) entry.occasion = occasion;
    out.push(entry);
  }
  return out;
}
