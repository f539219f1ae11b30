/**
 * The synthetic fashion world, public surface: generate a world (in-process or to files), its
 * latent truth, and the constants and member-response model the closed-loop simulator shares.
 */
export { ARCHETYPE_NAMES, CATEGORIES, LATENT_DIM, OCCASIONS, STYLE_ARCHETYPES, type StyleArchetype } from './archetypes.ts';
export * from './behaviour.ts';
export { EMBEDDING_DIM, type Catalogue, type WorldItem } from './catalogue.ts';
export {
  collectWorld, createWorld, DEFAULT_START, generateWorld, resolveWorldOptions,
  type ResolvedWorldOptions, type World, type WorldOptions, type WorldSink,
} from './generate.ts';
export type { WorldEvent } from './history-state.ts';
export { WorldHistory } from './histories.ts';
export { JsonlWriter } from './jsonl-writer.ts';
export { latentItems, latentMembers, worldMeta, type LatentItem, type LatentMember, type WorldMeta } from './latent.ts';
export type { Members, WorldUser } from './members.ts';
export { MEDIA_ACTIVITY_FACTOR, WORLD_PROFILES, type WorldProfile } from './profiles.ts';
export { Rng } from './rng.ts';
export { nearestSizeIndex, SIZE_CHART, SIZE_COUNT, SIZE_STEP, SIZE_VALUES, sizeIndexOf } from './size-chart.ts';
export { affinity } from './style-space.ts';
export { WORLD_FILES, writeWorld } from './write-world.ts';
