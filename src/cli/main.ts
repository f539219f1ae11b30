/** The `vitrine` command: dispatches to one module per subcommand (loaded lazily, so --help is quick). */
import { exitOnError } from './exit.ts';

interface Command {
  summary: string;
  run: (argv: string[]) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  serve: { summary: 'serve the API and UI', run: async (a) => (await import('./commands/serve.ts')).runServe(a) },
  demo: {
    summary: 'generate a fashion world, import it, train, and serve the UI (npm start)',
    run: async (a) => (await import('./commands/demo.ts')).runDemo(a),
  },
  generate: {
    summary: 'write a synthetic fashion world (catalogue, members, events) as JSONL',
    run: async (a) => (await import('./commands/generate.ts')).runGenerate(a),
  },
  import: {
    summary: 'stream rtr | movielens | items-jsonl | users-jsonl | events-jsonl | world into the store',
    run: async (a) => (await import('./commands/import.ts')).runImport(a),
  },
  train: {
    summary: 'train algorithms on the store, save artifacts, register them',
    run: async (a) => (await import('./commands/train.ts')).runTrain(a),
  },
  evaluate: {
    summary: 'offline top-N evaluation (EVALUATION.md protocols: global-time, user-time)',
    run: async (a) => (await import('./commands/evaluate.ts')).runEvaluate(a),
  },
  simulate: {
    summary: 'try variants on simulated members, closed loop through the real serving code',
    run: async (a) => (await import('./commands/simulate.ts')).runSimulate(a),
  },
  'evaluate-fit': {
    summary: 'size-and-fit prediction protocol (mean one-vs-rest AUC)',
    run: async (a) => (await import('./commands/evaluate-fit.ts')).runEvaluateFit(a),
  },
};

const HELP = `vitrine — pages of personalized carousels

Usage: vitrine <command> [options]     (vitrine <command> --help for its options)

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`).join('\n')}

Every flag has a VITRINE_* environment equivalent: --data ↔ VITRINE_DATA_DIR, --port ↔ VITRINE_PORT,
--host ↔ VITRINE_HOST, --store ↔ VITRINE_STORE. A vitrine.toml in the working directory (or
VITRINE_CONFIG=FILE) sets everything else; see vitrine.example.toml.

Quick start:
  vitrine generate --users 2000 --items 500 --days 60 --seed 1 --out ./world
  vitrine import world ./world --data ./data
  vitrine serve --data ./data        # then open http://127.0.0.1:8080/docs`;

/** Entry point; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return name ? 0 : 2;
  }
  // own keys only: `vitrine constructor` is an unknown command, not Object
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(`unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}`);
    return 2;
  }
  return exitOnError(() => command.run(rest));
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
