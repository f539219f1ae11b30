/** Mapping between SQLite rows and domain objects (JSON columns, embeddings as float32 blobs). */
import type { EventSignal, Item, ItemInput, StoredEvent, User, VitrineEvent } from '../../core/types.ts';
import { decodeRows } from '../page-record-codec.ts';
import type { ImpressionRecord, ModelRecord } from '../store.ts';

export interface ItemRow {
  id: string; title: string; category: string; brand: string | null; tags: string; attributes: string;
  price: number | null; image_url: string | null; embedding: Buffer | null; sizes: string;
  available_from: number | null; retired: number; placeholder: number; created_at: number; updated_at: number;
}

export interface UserRow {
  id: string; sizes: string; attributes: string; preferences: string; upcoming: string;
  created_at: number; updated_at: number;
}

export interface EventRow {
  seq: number; id: string; type: string; user_id: string; item_id: string | null; ts: number;
  size: string | null; fit: string | null; rating: number | null; value: number | null; occasion: string | null;
  page_id: string | null; row_id: string | null; position: number | null; variant: string | null;
  model_version: string | null;
}

/** Float32 little-endian blob of an embedding. */
export function embeddingToBlob(embedding: number[] | undefined): Buffer | null {
  if (!embedding) return null;
  return Buffer.from(Float32Array.from(embedding).buffer);
}

function blobToEmbedding(blob: Buffer | null): number[] | undefined {
  if (!blob) return undefined;
  const copy = new Uint8Array(blob).slice().buffer; // aligned copy
  return Array.from(new Float32Array(copy));
}

/** The item's column values for an upsert. */
export function itemParams(id: string, item: ItemInput, now: number): Record<string, unknown> {
  return {
    id,
    title: item.title,
    category: item.category,
    brand: item.brand ?? null,
    tags: JSON.stringify(item.tags ?? []),
    attributes: JSON.stringify(item.attributes ?? {}),
    price: item.price ?? null,
    image_url: item.imageUrl ?? null,
    embedding: embeddingToBlob(item.embedding),
    sizes: JSON.stringify(item.sizes ?? {}),
    available_from: item.availableFrom ?? null,
    retired: item.retired ? 1 : 0,
    now,
  };
}

export function rowToItem(r: ItemRow): Item {
  const item: Item = {
    id: r.id,
    title: r.title,
    category: r.category,
    tags: JSON.parse(r.tags),
    attributes: JSON.parse(r.attributes),
    sizes: JSON.parse(r.sizes),
    retired: r.retired === 1,
    placeholder: r.placeholder === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  if (r.brand !== null) item.brand = r.brand;
  if (r.price !== null) item.price = r.price;
  if (r.image_url !== null) item.imageUrl = r.image_url;
  if (r.available_from !== null) item.availableFrom = r.available_from;
  const embedding = blobToEmbedding(r.embedding);
  if (embedding) item.embedding = embedding;
  return item;
}

export function rowToUser(r: UserRow): User {
  return {
    id: r.id,
    sizes: JSON.parse(r.sizes),
    attributes: JSON.parse(r.attributes),
    preferences: JSON.parse(r.preferences),
    upcoming: JSON.parse(r.upcoming),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Positional parameters of the event insert, in column order. */
export function eventParams(e: VitrineEvent): unknown[] {
  const c = e.context;
  return [
    e.id, e.type, e.userId, e.itemId ?? null, e.ts, e.size ?? null, e.fit ?? null, e.rating ?? null,
    e.value ?? null, e.occasion ?? null, c?.pageId ?? null, c?.rowId ?? null, c?.position ?? null,
    c?.variant ?? null, c?.modelVersion ?? null,
  ];
}

export function rowToEvent(r: EventRow): StoredEvent {
  const e: StoredEvent = { seq: r.seq, id: r.id, type: r.type as StoredEvent['type'], userId: r.user_id, ts: r.ts };
  if (r.item_id !== null) e.itemId = r.item_id;
  if (r.size !== null) e.size = r.size;
  if (r.fit !== null) e.fit = r.fit as StoredEvent['fit'];
  if (r.rating !== null) e.rating = r.rating;
  if (r.value !== null) e.value = r.value;
  if (r.occasion !== null) e.occasion = r.occasion;
  const context: NonNullable<StoredEvent['context']> = {};
  if (r.page_id !== null) context.pageId = r.page_id;
  if (r.row_id !== null) context.rowId = r.row_id;
  if (r.position !== null) context.position = r.position;
  if (r.variant !== null) context.variant = r.variant;
  if (r.model_version !== null) context.modelVersion = r.model_version;
  if (Object.keys(context).length > 0) e.context = context;
  return e;
}

export interface ModelRow {
  version: string; algorithm: string; status: string; created_at: number; data_from: number | null;
  data_to: number | null; metrics: string; artifact_path: string | null; params: string | null; note: string | null;
}

export function rowToModel(r: ModelRow): ModelRecord {
  const m: ModelRecord = {
    version: r.version, algorithm: r.algorithm, status: r.status as ModelRecord['status'],
    createdAt: r.created_at, metrics: JSON.parse(r.metrics),
  };
  if (r.data_from !== null) m.dataFrom = r.data_from;
  if (r.data_to !== null) m.dataTo = r.data_to;
  if (r.artifact_path !== null) m.artifactPath = r.artifact_path;
  if (r.params !== null) m.params = JSON.parse(r.params);
  if (r.note !== null) m.note = r.note;
  return m;
}

export interface ImpressionRow {
  page_id: string; user_id: string; ts: number; variant: string | null; model_version: string | null;
  /** JSON rows of a record stored before the compact format ('' or null after it) */
  rows: string | null;
  /** the compact rows (page-record-codec.ts); null for older records */
  packed: Uint8Array | null;
}

/** A page record; `termOf` names the term numbers of a compact record (the store has fetched them). */
export function rowToImpression(r: ImpressionRow, termOf: (ix: number) => string): ImpressionRecord {
  const rows = r.packed ? decodeRows(r.packed, termOf) : JSON.parse(r.rows ?? '[]') as ImpressionRecord['rows'];
  const rec: ImpressionRecord = { pageId: r.page_id, userId: r.user_id, ts: r.ts, rows };
  if (r.variant !== null) rec.variant = r.variant;
  if (r.model_version !== null) rec.modelVersion = r.model_version;
  return rec;
}

/** An event's signal fields as both SQL stores select them (seq, id, type, item_id, ts, size, occasion), array mode. */
export type SignalRow = [number, string, EventSignal['type'], string | null, number, string | null, string | null];

/** A signal row as the online counts read it: absent fields left out. */
export function rowToSignal([seq, id, type, itemId, ts, size, occasion]: SignalRow): EventSignal {
  const e: EventSignal = { seq, id, type, ts };
  if (itemId !== null) e.itemId = itemId;
  if (size !== null) e.size = size;
  if (occasion !== null) e.occasion = occasion;
  return e;
}
