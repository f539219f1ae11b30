/**
 * Names the calling OS thread, so `top -H`, `ps -L` and /proc/PID/task/TID/comm tell a server's threads
 * apart (every Node thread is "node" otherwise): what a page worker, the page log or the checkpointer
 * costs can then be read from outside (bench/serve-fresh-cpu.ts). Linux only; elsewhere it does
 * nothing. Linux keeps 15 characters.
 */
import { writeFileSync } from 'node:fs';

export function nameThisThread(name: string): void {
  try {
    writeFileSync('/proc/thread-self/comm', name.slice(0, 15));
  } catch {
    // not Linux, or no /proc: the name is only a diagnostic
  }
}
