/**
 * Runs the real `vitrine serve` as a child process (for crash tests and benchmarks, which need a
 * process that can be killed or measured apart from the client). The port is read from the server's
 * "vitrine listening on http://HOST:PORT" log line, never guessed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { VITRINE_ENTRY } from '../../src/cli/vitrine-entry.ts';
import { HANG_GUARD_MS } from './wait-for.ts';

const LISTENING = /vitrine listening on (http:\/\/[^\s:]+:(\d+))/;

export interface ServerProcess {
  child: ChildProcess;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** SIGTERM (graceful: closes the store, writes --cpu-prof profiles) and waits for the exit. */
  stop(): Promise<number | string>;
  /** SIGKILL, the crash: no handler runs. Waits for the exit. */
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
  /** environment variables added after the VITRINE_* ones are cleared (e.g. VITRINE_TASK_TRACE_MS) */
  env?: Record<string, string>;
}

/** Spawns `node bin/vitrine.js serve --data DIR --port 0` (src/cli/vitrine-entry.ts) and resolves once it is listening. */
export async function startServer(opts: StartServerOptions): Promise<ServerProcess> {
  // a clean VITRINE_* environment and the data dir as cwd, so no stray vitrine.toml or env var applies
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITRINE_')) env[k] = v;
  env.VITRINE_LOG_LEVEL = 'info';
  Object.assign(env, opts.env);
  const child = spawn(process.execPath,
    [...(opts.nodeArgs ?? []), VITRINE_ENTRY, 'serve', '--data', opts.dataDir, '--port', '0', ...(opts.serveArgs ?? [])],
    { cwd: opts.dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-4000); });

  const url = await new Promise<string>((resolve, reject) => {
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
      clearTimeout(timer);
      // keep draining stdout so a chatty server never blocks on a full pipe
      lines.removeAllListeners('line');
      resolve(match[1]);
    });
    void exited.then((code) => fail(new Error(`server exited (${code}) before listening`)));
  });

  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    return exited;
  };
  return { child, url, port: Number(new URL(url).port), exited, stop: () => signal('SIGTERM'), kill9: () => signal('SIGKILL') };
}
