/**
 * A generated world as the training pipeline reads it (store → `training.positives` → data): each
 * `--profile` (shop, rental, media) gives the positives its business would — purchases, rentals,
 * rated reviews. Shared by the profile tests and `npm run bench:quality`.
 */
import type { VitrineEvent } from '../../core/types.ts';
import { isRejection, validateEvent } from '../../core/validate-event.ts';
import { isInputRejection, validateItemWithId } from '../../core/validate-input.ts';
import { loadTrainingData, type PositivesConfig, type TrainingData } from '../../pipeline/training-data.ts';
import { openStore } from '../../storage/open-store.ts';
import { collectWorld, type WorldOptions } from '../world/generate.ts';

/** The world of `opts` written to an in-memory store (impressions left out) and read back as training data. */
export async function profileWorldData(opts: WorldOptions, positives?: PositivesConfig): Promise<TrainingData> {
  const world = await collectWorld(opts);
  const store = await openStore('sqlite::memory:');
  try {
    const items = world.items.map((item) => validateItemWithId(JSON.parse(JSON.stringify(item))));
    await store.upsertItems(items.map((it) => {
      if (isInputRejection(it)) throw new Error(`world item rejected: ${it.message}`);
      return it;
    }), 0);
    const events: VitrineEvent[] = [];
    for (const e of world.events) {
      if (e.type === 'impression') continue;
      const v = validateEvent(JSON.parse(JSON.stringify(e)), { now: Date.UTC(2100, 0, 1), futureToleranceMs: 0 });
      if (isRejection(v)) throw new Error(`world event rejected: ${v.message}`);
      events.push(v);
    }
    await store.appendEvents(events);
    return await loadTrainingData(store, { positives });
  } finally {
    await store.close();
  }
}
