/** The ARGV the member scripts take (member-scripts.ts), built from events and a member's history. */
import type { VitrineEvent } from '../../../core/types.ts';
import { FIT_REPORT_SCORE } from '../event-signals.ts';
import type { MemberHistory } from '../member-history.ts';
import { profileJson } from './redis-snapshot.ts';

/**
 * ARGV[1..3] of every script: a member untouched by events this long leaves Redis (rebuilt on its
 * next page); positives kept per member (serving.recentPerMember); ids of counting events
 * remembered per member for de-duplication.
 */
export interface ScriptLimits {
  ttlMs: number;
  recentLimit: number;
  seenWindow: number;
}

/** ARGV[1..4]: the limits, then the script's fourth argument. */
export function scriptHeader(limits: ScriptLimits, fourth: string): Array<string | number> {
  return [limits.ttlMs, limits.recentLimit, limits.seenWindow, fourth];
}

/** An event as the scripts take it: id, type, ts, item, size, occasion, fit ('' for none). */
export function eventArgs(e: VitrineEvent): string[] {
  return [e.id, e.type, String(e.ts), e.itemId ?? '', e.size ?? '', e.occasion ?? '', e.fit ?? ''];
}

/** The install script's ARGV for a member read from the store (INSTALL_MEMBER documents the layout). */
export function installArgs(history: MemberHistory, limits: ScriptLimits, epoch: string): Array<string | number> {
  const known = history.user || history.events.length > 0 ? 1 : 0;
  const args: Array<string | number> = [...scriptHeader(limits, epoch), profileJson(history.user), known];
  const agg = history.aggregates;
  if (!agg) {
    args.push(0, 0, 0, '', 0, 0);
  } else {
    const sizes: Array<string | number> = [];
    let fitReports = 0;
    for (const [size, p] of Object.entries(agg.sizeProfile)) {
      const reports = p.small + p.fit + p.large;
      const fitScore = p.fit * FIT_REPORT_SCORE.fit + p.small * FIT_REPORT_SCORE.small + p.large * FIT_REPORT_SCORE.large;
      if (p.rents > 0 || reports > 0) sizes.push(size, p.rents, fitScore);
      fitReports += reports;
    }
    args.push(1, agg.stats.rents, fitReports, agg.stats.lastEventAt ?? '', sizes.length / 3, ...sizes, agg.held.length, ...agg.held);
  }
  for (const e of history.events) args.push(...eventArgs(e));
  return args;
}
