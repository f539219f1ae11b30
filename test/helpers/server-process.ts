/**
 * Runs the real `vitrine serve` as a child process (for crash tests and benchmarks, which need a
 * process that can be killed or measured apart from the client). The port is read from the server's
 * "vitrine listening on http://HOST:PORT" log line, never guessed, and so is the server's pid: `vitrine
 * serve` runs the server in a child node of its own (src/cli/start-flags.ts, ADR 0026), as it does for
 * users, so the process spawned here is its thin parent.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { VITRINE_ENTRY } from '../../src/cli/vitrine-entry.ts';
import { HANG_GUARD_MS } from './wait-for.ts';

const LISTENING = /vitrine listening on (http:\/\/[^\s:]+:(\d+))/;
// pino's JSON log line names the process that wrote it
const PID = /"pid":(\d+)/;

export interface ServerProcess {
  /** the process spawned: `vitrine serve`, the server's parent (signals passed on, exits as it does) */
  child: ChildProcess;
  /** the server's own process (its threads, CPU and memory): the child's child */
  pid: number;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** SIGTERM (graceful: closes the store, writes --cpu-prof profiles) and waits for the exit. */
  stop(): Promise<number | string>;
  /** SIGKILL to the server, the crash: no handler runs. Waits for the exit (the parent's, by the same signal). */
  kill9(): Promise<number | string>;
}

export interface StartServerOptions {
  dataDir: string;
  /** flags for node itself, e.g. ['--cpu-prof', '--cpu-prof-dir', DIR] */
  nodeArgs?: string[];
  /** extra `serve` flags */
  serveArgs?: string[];
  /** give up waiting for the listening line after this long, ms (default: the hang guard) */
  startTimeoutMs?: number;
}

/** Spawns `node bin/vitrine.js serve --data DIR --port 0` (src/cli/vitrine-entry.ts) and resolves once it is listening. */
export async function startServer(opts: StartServerOptions): Promise<ServerProcess> {
  // a clean VITRINE_* environment and the data dir as cwd, so no stray vitrine.toml or env var applies
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITRINE_')) env[k] = v;
  env.VITRINE_LOG_LEVEL = 'info';
  const child = spawn(process.execPath,
    [...(opts.nodeArgs ?? []), VITRINE_ENTRY, 'serve', '--data', opts.dataDir, '--port', '0', ...(opts.serveArgs ?? [])],
    { cwd: opts.dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-4000); });

  const [url, pid] = await new Promise<[string, number]>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    // a hang guard, not a start-up time limit: a loaded machine took tens of seconds to start it
    const guardMs = opts.startTimeoutMs ?? HANG_GUARD_MS;
    const timer = setTimeout(() => fail(new Error(`server did not start within ${guardMs} ms (a hang guard)`)), guardMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n${stderr}`));
    };
    lines.on('line', (line) => {
      const match = LISTENING.exec(line);
      if (!match) return;
      const pidMatch = PID.exec(line);
      if (!pidMatch) return fail(new Error(`no pid in the listening line: ${line}`));
      clearTimeout(timer);
      // keep draining stdout so a chatty server never blocks on a full pipe
      lines.removeAllListeners('line');
      resolve([match[1], Number(pidMatch[1])]);
    });
    void exited.then((code) => fail(new Error(`server exited (${code}) before listening`)));
  });

  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    // to the parent, as a supervisor or a terminal would: it passes the signal on
    if (running()) child.kill('SIGTERM');
    return exited;
  };
  const kill9 = async () => {
    if (running()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL'); // the server already gone: its parent is on its way out
      }
    }
    return exited;
  };
  return { child, url, pid, port: Number(new URL(url).port), exited, stop, kill9 };
}
