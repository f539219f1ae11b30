/** Trainer `content`: item vectors from category, brand, tags, attributes and embedding (see content-space.ts). */
import { VitrineError } from '../../core/errors.ts';
import { loadArtifact, type ArtifactLoadOptions } from '../artifact.ts';
import { CEILING, intIn, nonNegative, resolveParams } from '../common/params.ts';
import { assertInteractions, throwIfAborted, trainingManifest } from '../common/train-input.ts';
import { UserHistory } from '../common/user-history.ts';
import type { ItemFeatures } from '../dataset.ts';
import type { Model, Trainer, TrainContext, TrainInput } from '../model.ts';
import { CONTENT_FORMAT_VERSION, ContentModel } from './content-model.ts';
import { ContentSpace } from './content-space.ts';
import { buildVocabulary, itemTokens, type ContentItemInput } from './item-tokens.ts';
import { ItemVectors } from './item-vectors.ts';

export type ContentParams = {
  /** weight of the token part against the embedding part */
  featureWeight: number;
  embeddingWeight: number;
  /** the most frequent tokens kept */
  maxFeatures: number;
};

const DEFAULTS: ContentParams = { featureWeight: 1, embeddingWeight: 1, maxFeatures: 20_000 };
const RULES = { featureWeight: nonNegative, embeddingWeight: nonNegative, maxFeatures: intIn(1, CEILING.features) };

/** Defaults merged with `given`, each value checked against its rule. */
const resolveOwnParams = (given?: Partial<ContentParams>): ContentParams => resolveParams('content', DEFAULTS, given, RULES);

/** Item i's features as the content model reads them. */
export function contentItem(items: ItemFeatures, i: number): ContentItemInput {
  const d = items.embeddingDim ?? 0;
  return {
    category: items.category[i],
    brand: items.brand[i],
    tags: items.tags[i],
    attributes: items.attributes[i],
    embedding: items.embedding && d > 0 ? items.embedding.subarray(i * d, (i + 1) * d) : undefined,
  };
}

/** Checks feature arrays against the item count and the embedding shape. */
function assertItemFeatures(algorithm: string, items: ItemFeatures | undefined, nItems: number): ItemFeatures {
  if (!items) throw new VitrineError('VITRINE_MODEL_EMPTY_DATA', `${algorithm}: needs item features (TrainInput.items)`);
  for (const key of ['category', 'brand', 'tags', 'attributes'] as const) {
    if (items[key].length !== nItems) {
      throw new VitrineError('VITRINE_MODEL_BAD_DATA', `${algorithm}: items.${key} has ${items[key].length} entries for ${nItems} items`);
    }
  }
  if (items.embedding) {
    const d = items.embeddingDim ?? 0;
    if (!Number.isInteger(d) || d <= 0 || items.embedding.length !== nItems * d) {
      throw new VitrineError('VITRINE_MODEL_BAD_EMBEDDING',
        `${algorithm}: embedding has ${items.embedding.length} values, expected ${nItems} items × embeddingDim ${d}`);
    }
  }
  return items;
}

/** Builds the content model (shared with style-clusters, which trains one inside). */
export function trainContentModel(algorithm: string, input: TrainInput, p: ContentParams, ctx: TrainContext = {}): ContentModel {
  const data = input.interactions;
  // a catalogue without interactions is fine: cold-start is what this model is for
  assertInteractions(algorithm, data, { allowEmpty: true });
  const items = assertItemFeatures(algorithm, input.items, data.itemIds.length);
  throwIfAborted(algorithm, ctx.signal);
  const inputs = data.itemIds.map((_, i) => contentItem(items, i));
  const { vocab, idf } = buildVocabulary(inputs.map(itemTokens), p.maxFeatures);
  const space = new ContentSpace(vocab, idf, items.embedding ? (items.embeddingDim ?? 0) : 0, p);
  const vectors = ItemVectors.from(vocab.length, space.embeddingDim, inputs.map((it, i) => space.vectorize(it, `${algorithm}: item "${data.itemIds[i]}"`)));
  ctx.onProgress?.(1, 'item vectors');
  const manifest = trainingManifest(algorithm, CONTENT_FORMAT_VERSION, p, data, { embeddingDim: space.embeddingDim });
  return new ContentModel(manifest, [...data.itemIds], UserHistory.fromInteractions(data, 'max'), space, vectors);
}

export const contentTrainer: Trainer<ContentParams> = {
  algorithm: 'content',
  defaults: DEFAULTS,
  resolveParams: resolveOwnParams,
  async train(input: TrainInput, params?: Partial<ContentParams>, ctx: TrainContext = {}): Promise<Model> {
    return trainContentModel('content', input, resolveOwnParams(params), ctx);
  },
  async load(dir: string, opts?: ArtifactLoadOptions): Promise<Model> {
    return ContentModel.fromArtifact(await loadArtifact(dir, 'content', CONTENT_FORMAT_VERSION, opts));
  },
};
