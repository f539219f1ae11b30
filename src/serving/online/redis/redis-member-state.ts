/**
 * Online member state in Redis (ADR 0022): every serving node reads and writes the same members, so
 * nodes hold no member state of their own and any node can serve any member. Keys per member share
 * the hash tag `{m:<id>}` (storage/redis/member-keys.ts); events are applied by server-side scripts
 * (member-scripts.ts), one call per hash slot, each member atomically, before the event's 200; a page
 * reads its member in one pipelined round trip on a fail-fast connection, so a slow Redis drops the
 * page to the fallback chain. A member missing, or built under another epoch (a Redis that came back empty), is rebuilt
 * from the store on first touch.
 */
import { randomBytes } from 'node:crypto';
import type { VitrineEvent } from '../../../core/types.ts';
import { connectRedis, parseRedisUrl, type RedisConnection } from '../../../storage/redis/redis-client.ts';
import { EPOCH_KEY, keyList, MEMBER_KEY_COUNT, memberKeys } from '../../../storage/redis/member-keys.ts';
import type { Store } from '../../../storage/store.ts';
import type { MemberSnapshot, ModelHandle, OnlineState } from '../../engine/contracts.ts';
import { FoldInCache } from '../fold-in-cache.ts';
import { loadMemberHistory } from '../member-history.ts';
import { membersCalls } from './member-batches.ts';
import { APPLY_MEMBERS, APPLY_PROFILE, INSTALL_MEMBER } from './member-scripts.ts';
import { profileJson, snapshotFromRedis, type RawMember } from './redis-snapshot.ts';
import { installArgs, scriptHeader, type ScriptLimits } from './script-args.ts';

export interface RedisMemberStateOptions extends ScriptLimits {
  /** events read from the store to rebuild a member (serving.hydrateEvents) */
  hydrateEvents: number;
  /** members whose fold-in vectors this node caches (serving.foldInCacheSize) */
  foldInCacheSize: number;
  /** page reads fail after this (the page falls back) */
  readTimeoutMs: number;
  /** event scripts and rebuilds fail after this */
  writeTimeoutMs: number;
  /**
   * false: `apply` leaves events alone. A node has one writer (the HTTP thread applies each accepted
   * batch once, before its 200); its read sides (page workers, the local replica) only read, or a
   * batch would run once per replica and a member's seen-id window could be outrun.
   */
  writer?: boolean;
  warn?: (message: string) => void;
}

export const REDIS_STATE_DEFAULTS = {
  ttlMs: 30 * 24 * 3600_000, seenWindow: 8, readTimeoutMs: 50, writeTimeoutMs: 2000,
} as const;

// a rebuild that has not installed within this lets events go by unqueued: it must start over
const BUILD_MARK_MS = 10_000;
// members whose Redis state may have missed an event; past this many, a new epoch rebuilds everyone
const DIRTY_CAP = 10_000;
const EPOCH_REFRESH_MS = 1000;

interface MemberScripts {
  vitrineApplyMembers(...args: Array<string | number>): Promise<number[]>;
  vitrineInstall(...args: Array<string | number>): Promise<number>;
  vitrineProfile(...args: Array<string | number>): Promise<number>;
}

/** Counters for /metrics. */
export interface RedisStateStats {
  reads: number;
  readFailures: number;
  readMsTotal: number;
  rebuilds: number;
  epochChanges: number;
  applyFailures: number;
  dirty: number;
}

export class RedisMemberState implements OnlineState {
  private epoch = '';
  private readonly rebuilding = new Map<string, Promise<RawMember>>();
  /** members whose last write failed: their keys are deleted once Redis answers, so the next read rebuilds them */
  private readonly dirty = new Set<string>();
  private readonly foldIns: FoldInCache;
  private readonly counters: RedisStateStats = { reads: 0, readFailures: 0, readMsTotal: 0, rebuilds: 0, epochChanges: 0, applyFailures: 0, dirty: 0 };
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly store: Store,
    private readonly read: RedisConnection,
    private readonly write: RedisConnection & MemberScripts,
    private readonly opts: RedisMemberStateOptions,
    /** Redis Cluster: one APPLY_MEMBERS call per hash slot */
    private readonly clustered: boolean,
  ) {
    this.foldIns = new FoldInCache(opts.foldInCacheSize);
  }

  /** Connects to `url` (redis://… or redis+cluster://…) and reads or creates the epoch. */
  static async open(url: string, store: Store, opts: RedisMemberStateOptions): Promise<RedisMemberState> {
    const target = parseRedisUrl(url);
    const connectMs = Math.max(opts.writeTimeoutMs, 2000);
    const read = await connectRedis(target, opts.readTimeoutMs, connectMs);
    let write: RedisConnection;
    try {
      write = await connectRedis(target, opts.writeTimeoutMs, connectMs);
    } catch (err) {
      read.disconnect();
      throw err;
    }
    for (const [name, lua] of [['vitrineInstall', INSTALL_MEMBER], ['vitrineProfile', APPLY_PROFILE]] as const) {
      write.defineCommand(name, { numberOfKeys: MEMBER_KEY_COUNT, lua });
    }
    // numkeys is the call's first argument (MEMBER_KEY_COUNT per member)
    write.defineCommand('vitrineApplyMembers', { lua: APPLY_MEMBERS });
    const state = new RedisMemberState(store, read, write as RedisConnection & MemberScripts, opts, target.cluster);
    await state.refreshEpoch();
    state.timer = setInterval(() => void state.maintain(), EPOCH_REFRESH_MS);
    state.timer.unref();
    return state;
  }

  /** The member's snapshot: one pipelined read; a rebuild from the store when missing or of another epoch. */
  async get(userId: string): Promise<MemberSnapshot> {
    if (this.dirty.has(userId)) await this.repair();
    let raw = await this.readMember(userId);
    if (raw.state.ep !== this.epoch) raw = await this.rebuild(userId);
    return snapshotFromRedis(userId, raw);
  }

  /**
   * Applies accepted events: one APPLY_MEMBERS call per hash slot (one on a single Redis), all in
   * flight at once; each member is applied atomically as APPLY_EVENTS would. Resolves when every call
   * answered (before the events' 200). A failure does not fail the request (the events are durable in
   * the store): every member of the failed call is marked for repair and rebuilt from the store.
   */
  async apply(events: readonly VitrineEvent[]): Promise<void> {
    if (this.opts.writer === false) return;
    await Promise.all(membersCalls(events, this.opts, this.clustered).map(async ({ userIds, args }) => {
      try {
        await this.write.vitrineApplyMembers(...args);
      } catch (err) {
        for (const userId of userIds) this.markDirty(userId, err);
      }
    }));
  }

  /** Re-reads the member's profile after PUT /v1/users and writes it to the member in Redis (or to its rebuild). */
  async applyProfile(userId: string): Promise<void> {
    const user = await this.store.getUser(userId);
    try {
      await this.write.vitrineProfile(...keyList(memberKeys(userId)), ...scriptHeader(this.opts, profileJson(user)));
    } catch (err) {
      this.markDirty(userId, err);
    }
  }

  /** Drops the member's keys (DELETE /v1/users); the next read rebuilds what the store still has (nothing). */
  async forget(userId: string): Promise<void> {
    this.foldIns.forget(userId);
    try {
      await this.write.del(...keyList(memberKeys(userId)));
    } catch (err) {
      this.markDirty(userId, err);
    }
  }

  /** True when the member's state is in this process: never (it lives in Redis). */
  has(_userId: string): boolean {
    return false;
  }

  /** Members held in this process: none (they live in Redis). */
  size(): number {
    return 0;
  }

  /** The member's fold-in vector under a model, cached on this node by the member's revision. */
  foldIn(snapshot: MemberSnapshot, handle: ModelHandle): Float32Array | undefined {
    return this.foldIns.vectorFor(snapshot, handle);
  }

  stats(): RedisStateStats {
    return { ...this.counters, dirty: this.dirty.size };
  }

  /** Resolves when Redis answers on both connections (readiness): pages read on one, events and rebuilds write on the other. */
  async ping(): Promise<void> {
    await Promise.all([this.read.ping(), this.write.ping()]);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([this.read.quit(), this.write.quit()]);
  }

  private async readMember(userId: string, client: RedisConnection = this.read): Promise<RawMember> {
    const k = memberKeys(userId);
    const started = performance.now();
    this.counters.reads++;
    try {
      const replies = await client.pipeline().hgetall(k.state).zrevrange(k.recent, 0, -1, 'WITHSCORES').get(k.profile).exec();
      if (!replies) throw new Error('the pipeline was not run');
      for (const [err] of replies) if (err) throw err;
      return { state: replies[0][1] as Record<string, string>, recent: replies[1][1] as string[], profile: replies[2][1] as string | null };
    } catch (err) {
      this.counters.readFailures++;
      throw err;
    } finally {
      this.counters.readMsTotal += performance.now() - started;
    }
  }

  /** One rebuild per member at a time on this node; another node's concurrent rebuild is settled by the script. */
  private rebuild(userId: string): Promise<RawMember> {
    let running = this.rebuilding.get(userId);
    if (!running) {
      running = this.rebuildOnce(userId).finally(() => this.rebuilding.delete(userId));
      this.rebuilding.set(userId, running);
    }
    return running;
  }

  private async rebuildOnce(userId: string): Promise<RawMember> {
    const keys = keyList(memberKeys(userId));
    for (let attempt = 0; attempt < 3; attempt++) {
      // each attempt reads the epoch again: the member may be stamped with one this node has not read
      // yet, and an attempt that failed because Redis came back empty (its marker gone) must not
      // install under the epoch of Redis's earlier life (issue 23)
      await this.refreshEpoch();
      const epoch = this.epoch;
      const current = await this.readMember(userId, this.write);
      if (current.state.ep === epoch) return current;
      // set before the store is read: an event committed after the read finds it and waits in the queue
      await this.write.set(memberKeys(userId).building, '1', 'PX', BUILD_MARK_MS);
      const args = installArgs(await loadMemberHistory(this.store, userId, this.opts.hydrateEvents), this.opts, epoch);
      const outcome = await this.write.vitrineInstall(...keys, ...args);
      if (outcome === 1) this.counters.rebuilds++;
      if (outcome !== -2) return this.readMember(userId, this.write);
    }
    throw new Error(`member ${userId}: the rebuild outlasted its marker three times`);
  }

  /** Reads the epoch, writing a new one when Redis has none (it came back empty, or is new). */
  private async refreshEpoch(): Promise<void> {
    let epoch = await this.write.get(EPOCH_KEY);
    if (epoch === null) {
      await this.write.set(EPOCH_KEY, randomBytes(4).toString('hex'), 'NX');
      epoch = await this.write.get(EPOCH_KEY);
    }
    if (epoch === null) throw new Error('the epoch key vanished as it was written');
    if (this.epoch && epoch !== this.epoch) {
      this.counters.epochChanges++;
      this.opts.warn?.(`member state: Redis epoch changed (${this.epoch} → ${epoch}); members are rebuilt from the store as they are read`);
    }
    this.epoch = epoch;
  }

  private markDirty(userId: string, err: unknown): void {
    this.counters.applyFailures++;
    if (this.dirty.size === 0) this.opts.warn?.(`member state: a Redis write failed (${(err as Error).message}); affected members are rebuilt once Redis answers`);
    this.dirty.add(userId);
  }

  /** Background: notices a new epoch, and repairs members whose writes failed. */
  private async maintain(): Promise<void> {
    try {
      await this.refreshEpoch();
      if (this.dirty.size > 0) await this.repair();
    } catch {
      // Redis unreachable: tried again on the next tick
    }
  }

  /** Deletes the keys of members whose writes failed (their next read rebuilds them); too many: a new epoch. */
  private async repair(): Promise<void> {
    if (this.dirty.size > DIRTY_CAP) {
      await this.write.set(EPOCH_KEY, randomBytes(4).toString('hex'));
      this.dirty.clear();
      await this.refreshEpoch();
      return;
    }
    // the state hash alone: without it the member reads as missing (a rebuild under way keeps its queue)
    for (const userId of [...this.dirty]) {
      await this.write.del(memberKeys(userId).state);
      this.dirty.delete(userId);
    }
  }
}
