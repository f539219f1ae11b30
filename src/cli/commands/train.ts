/** `vitrine train`: train algorithms on the store's events, save artifacts, register them. */
import { parseArgs } from 'node:util';
import { VitrineError } from '../../core/errors.ts';
import { loadConfig } from '../../core/config.ts';
import { algorithmNames } from '../../ml/registry.ts';
import { DEFAULT_TRAIN_ALGORITHMS, trainModels } from '../../pipeline/model-training.ts';
import { openStore } from '../../storage/open-store.ts';

export const TRAIN_HELP = `vitrine train [--data DIR] [--store URL] [--algorithms a,b] [--params JSON]

Trains each algorithm on the store's positives (rentals and purchases; rated reviews for catalogues
without them), writes its artifact to DIR/models/<version>/ and registers it in the store's model
registry (GET /v1/models). A model that fails to train, or fails the validation gate ([training.gate],
docs/operations.md), is registered as rejected, with the reason and metrics, and never replaces the
active one.
  --data DIR        data directory (env VITRINE_DATA_DIR, default ./data)
  --store URL       store URL (env VITRINE_STORE, default sqlite:<data>/vitrine.db)
  --algorithms a,b  default: ${DEFAULT_TRAIN_ALGORITHMS.join(',')}
                    (ease only up to training.easeMaxItems items, default 10,000). The gate's best
                    top-N ranker becomes the champion that fills for-you (docs/operations.md)
                    all: ${algorithmNames().join(', ')}
  --params JSON     per-algorithm overrides, e.g. '{"als": {"factors": 32}}'`;

/** Parses flags, trains, prints one line per model; exit 0 when every model trained. */
export async function runTrain(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' }, store: { type: 'string' }, algorithms: { type: 'string' }, params: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(TRAIN_HELP);
    return 0;
  }
  let params: Record<string, Record<string, unknown>> | undefined;
  if (values.params) {
    try {
      params = JSON.parse(values.params);
    } catch (err) {
      throw new VitrineError('VITRINE_MODEL_BAD_PARAMS', `--params is not JSON: ${(err as Error).message}`);
    }
  }
  const config = loadConfig({ ...(values.data ? { dataDir: values.data } : {}), ...(values.store ? { store: { url: values.store } } : {}) });
  const store = await openStore(config.store.url);
  try {
    let last = 0;
    const records = await trainModels(store, config.dataDir, {
      algorithms: values.algorithms?.split(',').map((s) => s.trim()).filter(Boolean),
      params,
      gate: config.training.gate,
      keepVersions: config.models.keepVersions,
      easeMaxItems: config.training.easeMaxItems,
      positives: config.training.positives,
      log: (line) => console.log(line),
      onProgress: (algorithm, fraction, label) => {
        const now = Date.now();
        if (process.stderr.isTTY && now - last > 200) {
          last = now;
          process.stderr.write(`\r${algorithm}: ${(fraction * 100).toFixed(0).padStart(3)}% ${label}`.padEnd(70));
        }
      },
    });
    if (process.stderr.isTTY) process.stderr.write(`\r${' '.repeat(70)}\r`);
    return records.every((r) => r.status === 'active') ? 0 : 1;
  } finally {
    await store.close();
  }
}
