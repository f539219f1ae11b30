/**
 * The member state a read side uses, by `state.url` (ADR 0022): '' or `memory` keeps it in this
 * process (the embedded default), `redis://…` or `redis+cluster://…` shares it between nodes.
 */
import type { VitrineConfig } from '../../core/config.ts';
import type { Store } from '../../storage/store.ts';
import { MemberStateStore } from './online-state.ts';
import { REDIS_STATE_DEFAULTS, RedisMemberState } from './redis/redis-member-state.ts';

export type OnlineStateImpl = MemberStateStore | RedisMemberState;

/** True when member state lives in Redis. */
export function sharedState(config: Readonly<VitrineConfig>): boolean {
  return config.state.url !== '' && config.state.url !== 'memory';
}

/** Opens the configured member state; `writer` false for a read side whose events another writer applies. */
export async function openOnlineState(
  config: Readonly<VitrineConfig>, store: Store, opts: { writer: boolean; warn: (message: string) => void },
): Promise<OnlineStateImpl> {
  const { serving, state } = config;
  if (!sharedState(config)) {
    return new MemberStateStore(store, {
      capacity: serving.memberStateCap, recentLimit: serving.recentPerMember,
      hydrateEvents: serving.hydrateEvents, foldInCacheSize: serving.foldInCacheSize,
    });
  }
  return RedisMemberState.open(state.url, store, {
    ...REDIS_STATE_DEFAULTS, recentLimit: serving.recentPerMember, hydrateEvents: serving.hydrateEvents,
    foldInCacheSize: serving.foldInCacheSize, readTimeoutMs: state.readTimeoutMs, ttlMs: Math.round(state.ttlDays * 86_400_000),
    writer: opts.writer, warn: opts.warn,
  });
}


