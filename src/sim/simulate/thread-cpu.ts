/**
 * CPU seconds used by the calling thread (user + system), from Linux's /proc/thread-self/stat: Node 20
 * has no per-thread CPU clock (process.cpuUsage() sums every thread), and a variant's worker is one
 * thread (threads it starts, e.g. a trainer's, and GC helpers are not counted). NaN where /proc is not
 * available. Resolution: one clock tick (10 ms).
 */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

export function threadCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // fields after the parenthesised name: state is field 3, utime 14, stime 15
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}
