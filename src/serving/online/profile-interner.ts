/**
 * Onboarding answers shared between members who gave the same ones (most members pick from a few
 * sizes and styles), so a million profiles cost a few thousand objects. Past `limit` distinct answers
 * new ones are kept unshared, which bounds the table whatever the members say. Dated occasions are
 * not here: they are personal (member-events.ts setUpcoming packs them into the member's slot).
 */
import type { User } from '../../core/types.ts';
import type { MemberProfile } from './member-table.ts';

export class ProfileInterner {
  private readonly shared = new Map<string, MemberProfile>();

  constructor(private readonly limit = 100_000) {}

  /** The member's sizes and preferences, or undefined when they gave neither. */
  intern(user: Pick<User, 'sizes' | 'preferences'>): MemberProfile | undefined {
    const prefs = user.preferences ?? {};
    const hasPrefs = Object.values(prefs).some((v) => Array.isArray(v) && v.length > 0);
    if (!user.sizes?.length && !hasPrefs) return undefined;
    const key = JSON.stringify([user.sizes ?? [], prefs]);
    let profile = this.shared.get(key);
    if (!profile) {
      profile = Object.freeze({ sizes: Object.freeze([...(user.sizes ?? [])]), preferences: Object.freeze(structuredClone(prefs)) });
      if (this.shared.size < this.limit) this.shared.set(key, profile);
    }
    return profile;
  }
}
