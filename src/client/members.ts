/** Members: profiles with derived state, forgetting, listings, a member's events (API.md § Users). */
import { path, type RequestOptions, type Transport } from './transport.ts';
import type { EventType, ListOptions, Member, MemberEvent, MemberProfile, MembersPage, MemberWriteAck, UserInput } from './types.ts';

export class UsersApi {
  readonly #http: Transport;
  constructor(http: Transport) { this.#http = http; }

  /**
   * Creates or updates a member's onboarding answers (PUT /v1/users/{id}): the member view to a key
   * that can read, `{id, status}` to a write-only key (ADR 0003).
   */
  put(userId: string, profile: UserInput, options?: RequestOptions): Promise<Member | MemberWriteAck> {
    return this.#http.send({ method: 'PUT', path: path`/v1/users/${userId}`, body: profile }, options);
  }

  /** Profile plus stats, held items and size profile (GET /v1/users/{id}); 404 VITRINE_USER_NOT_FOUND. */
  get(userId: string, options?: RequestOptions): Promise<Member> {
    return this.#http.send({ method: 'GET', path: path`/v1/users/${userId}` }, options);
  }

  /** Forgets a member: profile, events and served pages deleted (DELETE /v1/users/{id}). */
  forget(userId: string, options?: RequestOptions): Promise<{ id: string; forgotten: boolean }> {
    return this.#http.send({ method: 'DELETE', path: path`/v1/users/${userId}` }, options);
  }

  /** One page of members in id order; pass `next` back as `after` (GET /v1/users). */
  list(list: ListOptions = {}, options?: RequestOptions): Promise<MembersPage> {
    return this.#http.send({ method: 'GET', path: '/v1/users', query: { ...list } }, options);
  }

  /** Every member, fetched page by page as the loop asks for them. */
  async *all(list: ListOptions = {}, options?: RequestOptions): AsyncGenerator<MemberProfile> {
    let after = list.after;
    do {
      const page = await this.list({ ...list, after }, options);
      yield* page.users;
      after = page.next ?? undefined;
    } while (after !== undefined);
  }

  /** A member's most recent actions, or the `types` asked for (impressions only so), newest first (GET /v1/users/{id}/events). */
  async events(userId: string, query: { limit?: number; types?: readonly EventType[] } = {}, options?: RequestOptions): Promise<MemberEvent[]> {
    const q = { limit: query.limit, types: query.types?.join(',') };
    const res = await this.#http.send<{ events: MemberEvent[] }>({ method: 'GET', path: path`/v1/users/${userId}/events`, query: q }, options);
    return res.events;
  }
}
