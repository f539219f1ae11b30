/** The demo's training step: trains the default algorithms once per store (skipped when models exist). */
import { trainModels } from '../../pipeline/model-training.ts';
import type { Store } from '../../storage/store.ts';

/** Trains the default models unless the registry already has active ones. */
export async function trainDemoModels(store: Store, dataDir: string, log: (line: string) => void): Promise<void> {
  const active = (await store.listModels()).filter((m) => m.status === 'active');
  if (active.length > 0) {
    log(`models ready: ${active.map((m) => m.version).join(', ')}`);
    return;
  }
  await trainModels(store, dataDir, { log });
}
