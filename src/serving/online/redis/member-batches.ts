/**
 * An ingest batch cut into APPLY_MEMBERS calls (member-scripts.ts): one call per Redis Cluster hash
 * slot (one for the whole batch on a single Redis), at most MAX_MEMBERS_PER_CALL members each, so a
 * 500-event batch costs a few script calls instead of one per member (issue 23).
 */
import type { VitrineEvent } from '../../../core/types.ts';
import { hashSlot } from '../../../storage/redis/hash-slot.ts';
import { keyList, memberKeys } from '../../../storage/redis/member-keys.ts';
import { eventArgs, scriptHeader, type ScriptLimits } from './script-args.ts';

// bounds one script's run (Redis serves nothing else meanwhile) and its argument list
export const MAX_MEMBERS_PER_CALL = 256;

/** One APPLY_MEMBERS call: its members in order, and its numkeys, KEYS and ARGV. */
export interface MembersCall {
  userIds: string[];
  args: Array<string | number>;
}

/** The batch's events by member (first appearance order), then by slot when `bySlot`, cut into calls. */
export function membersCalls(events: readonly VitrineEvent[], limits: ScriptLimits, bySlot: boolean): MembersCall[] {
  const byMember = new Map<string, VitrineEvent[]>();
  for (const e of events) {
    const list = byMember.get(e.userId);
    if (list) list.push(e);
    else byMember.set(e.userId, [e]);
  }
  const groups = new Map<number, string[]>();
  for (const userId of byMember.keys()) {
    const slot = bySlot ? hashSlot(memberKeys(userId).state) : 0;
    const group = groups.get(slot);
    if (group) group.push(userId);
    else groups.set(slot, [userId]);
  }
  const calls: MembersCall[] = [];
  for (const group of groups.values()) {
    for (let at = 0; at < group.length; at += MAX_MEMBERS_PER_CALL) {
      const userIds = group.slice(at, at + MAX_MEMBERS_PER_CALL);
      const keys: string[] = [];
      const argv: Array<string | number> = scriptHeader(limits, '');
      for (const userId of userIds) {
        keys.push(...keyList(memberKeys(userId)));
        const list = byMember.get(userId) ?? [];
        argv.push(list.length);
        for (const e of list) argv.push(...eventArgs(e));
      }
      calls.push({ userIds, args: [keys.length, ...keys, ...argv] });
    }
  }
  return calls;
}
