/**
 * Onboarding answers shared between members who gave the same ones (most members pick from a few
 * sizes and styles), so a million profiles cost a few thousand objects. Past `limit` distinct answers
 * new ones are kept unshared, which bounds the table whatever the members say.
 */
import type { User } from '../../core/types.ts';
import type { MemberProfile } from './member-table.ts';

const NO_UPCOMING: MemberProfile['upcoming'] = Object.freeze([]);

export class ProfileInterner {
  private readonly shared = new Map<string, MemberProfile>();

  constructor(private readonly limit = 100_000) {}

  /** The member's profile, or undefined when they said nothing (no sizes, preferences or occasions). */
  intern(user: Pick<User, 'sizes' | 'preferences' | 'upcoming'>): MemberProfile | undefined {
    const prefs = user.preferences ?? {};
    const hasPrefs = Object.values(prefs).some((v) => Array.isArray(v) && v.length > 0);
    const upcoming = user.upcoming?.length ? Object.freeze([...user.upcoming]) : NO_UPCOMING;
    if (!user.sizes?.length && !hasPrefs && upcoming.length === 0) return undefined;
    // dated occasions are personal: only the timeless part is shared
    const key = JSON.stringify([user.sizes ?? [], prefs]);
    let base = this.shared.get(key);
    if (!base) {
      base = Object.freeze({ sizes: Object.freeze([...(user.sizes ?? [])]), preferences: Object.freeze(structuredClone(prefs)), upcoming: NO_UPCOMING });
      if (this.shared.size < this.limit) this.shared.set(key, base);
    }
    return upcoming.length === 0 ? base : { sizes: base.sizes, preferences: base.preferences, upcoming };
  }
}
