/**
 * Model artifacts on disk: `manifest.json` (algorithm, params, data range, format version, one sha256
 * per payload) beside one file per payload — little-endian binary for typed arrays, JSON for id lists.
 * The manifest is written last (via rename), so a half-written artifact has none and fails to load.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { VitrineError } from '../core/errors.ts';
import { idListOf, shareIdList } from './id-lists.ts';
import type { ArtifactManifest } from './model.ts';

export type Payload = Float32Array | Int32Array | Float64Array | Uint8Array | readonly string[];
export type Payloads = Record<string, Payload>;
export type ManifestDraft = Omit<ArtifactManifest, 'payloads'>;
export interface LoadedArtifact {
  manifest: ArtifactManifest;
  payloads: Payloads;
}

/**
 * Typed payloads already read and verified, by their sha256, as SharedArrayBuffers: threads that hand
 * each other the buffers (serving's page workers) then hold one copy of a model's arrays, not one
 * each. A payload found here is neither read nor hashed again (its digest is the manifest's). Whoever
 * loads through a pool must treat the arrays as read-only: every holder sees a write.
 */
export interface PayloadPool {
  get(sha256: string): SharedArrayBuffer | undefined;
  /** a payload just read and verified */
  put(sha256: string, bytes: SharedArrayBuffer): void;
}

export interface ArtifactLoadOptions {
  pool?: PayloadPool;
}

const MANIFEST_FILE = 'manifest.json';
const NAME_RE = /^[A-Za-z0-9_.-]{1,64}$/;
const TYPED = {
  float32: Float32Array,
  int32: Int32Array,
  float64: Float64Array,
  uint8: Uint8Array,
} as const;
type TypedDtype = keyof typeof TYPED;
const STRINGS = 'string[]';
const LITTLE_ENDIAN = endianness() === 'LE';

/** Writes `payloads` and then the manifest into `dir` (created if needed); returns the full manifest. */
export async function saveArtifact(dir: string, draft: ManifestDraft, payloads: Payloads): Promise<ArtifactManifest> {
  await mkdir(dir, { recursive: true });
  const entries: ArtifactManifest['payloads'] = {};
  for (const [name, value] of Object.entries(payloads)) {
    if (!NAME_RE.test(name)) throw new VitrineError('VITRINE_INTERNAL_ERROR', `bad payload name "${name}"`);
    const { bytes, dtype } = encodePayload(value);
    await writeFile(join(dir, fileName(name, dtype)), bytes);
    entries[name] = { dtype, length: value.length, sha256: sha256(bytes) };
  }
  const manifest: ArtifactManifest = { ...draft, payloads: entries };
  const tmp = join(dir, `${MANIFEST_FILE}.tmp`);
  await writeFile(tmp, JSON.stringify(manifest, null, 2));
  await rename(tmp, join(dir, MANIFEST_FILE));
  return manifest;
}

/**
 * Reads an artifact, refusing (VITRINE_MODEL_ARTIFACT_VERSION) another algorithm or format version and
 * (VITRINE_MODEL_ARTIFACT_CORRUPT) a missing, truncated or tampered file.
 */
export async function loadArtifact(
  dir: string, expectedAlgorithm: string, supportedVersion: number, opts: ArtifactLoadOptions = {},
): Promise<LoadedArtifact> {
  const manifest = await readManifest(dir);
  if (manifest.algorithm !== expectedAlgorithm) {
    throw new VitrineError('VITRINE_MODEL_ARTIFACT_VERSION',
      `artifact in ${dir} is a "${manifest.algorithm}" model, not "${expectedAlgorithm}"`);
  }
  if (manifest.formatVersion !== supportedVersion) {
    throw new VitrineError('VITRINE_MODEL_ARTIFACT_VERSION',
      `artifact in ${dir} has format version ${manifest.formatVersion}; this build reads ${expectedAlgorithm} v${supportedVersion}`);
  }
  const payloads: Payloads = {};
  for (const [name, entry] of Object.entries(manifest.payloads)) {
    if (!NAME_RE.test(name)) throw corrupt(dir, `bad payload name "${name}"`);
    const pooled = fromPool(opts.pool, entry);
    if (pooled) {
      payloads[name] = pooled;
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, fileName(name, entry.dtype)));
    } catch (cause) {
      throw new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', `artifact in ${dir} lacks payload "${name}"`, undefined, { cause });
    }
    if (sha256(bytes) !== entry.sha256) throw corrupt(dir, `payload "${name}" fails its sha256 check`);
    // an id list this thread already holds (another model of the same data): verified, not kept twice
    const known = entry.dtype === STRINGS ? knownIdList(entry) : undefined;
    if (known) {
      payloads[name] = known;
      continue;
    }
    const value = decodePayload(bytes, entry.dtype, opts.pool ? (n) => new SharedArrayBuffer(n) : undefined);
    if (value === undefined) throw corrupt(dir, `payload "${name}" does not decode as ${entry.dtype}`);
    if (value.length !== entry.length) {
      throw corrupt(dir, `payload "${name}" has ${value.length} values, the manifest says ${entry.length}`);
    }
    if (isIdList(value)) {
      payloads[name] = shareIdList(entry.sha256, value);
      continue;
    }
    if (opts.pool) opts.pool.put(entry.sha256, value.buffer as SharedArrayBuffer);
    payloads[name] = value;
  }
  return { manifest, payloads };
}

/** The payload `name` as an instance of `kind`; VITRINE_MODEL_ARTIFACT_CORRUPT when missing or of another type. */
export function payloadOf<T extends Exclude<Payload, readonly string[]>>(
  loaded: LoadedArtifact, name: string, kind: new (length: number) => T, length?: number,
): T {
  const value = loaded.payloads[name];
  if (!(value instanceof kind)) throw corrupt('the artifact', `payload "${name}" is missing or not a ${kind.name}`);
  if (length !== undefined && value.length !== length) {
    throw corrupt('the artifact', `payload "${name}" has ${value.length} values, expected ${length}`);
  }
  return value;
}

/** The string-list payload `name` (ids; shared by the thread's models, id-lists.ts); VITRINE_MODEL_ARTIFACT_CORRUPT when missing. */
export function stringsOf(loaded: LoadedArtifact, name: string): readonly string[] {
  const value = loaded.payloads[name];
  if (!Array.isArray(value)) throw corrupt('the artifact', `payload "${name}" is missing or not a string list`);
  return value;
}

function isIdList(value: Payload): value is readonly string[] {
  return Array.isArray(value);
}

function corrupt(dir: string, what: string): VitrineError {
  return new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', `artifact in ${dir}: ${what}`);
}

async function readManifest(dir: string): Promise<ArtifactManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (cause) {
    throw new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', `no readable ${MANIFEST_FILE} in ${dir}`, undefined, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', `${MANIFEST_FILE} in ${dir} is not valid JSON`, undefined, { cause });
  }
  if (!isManifest(parsed)) throw corrupt(dir, `${MANIFEST_FILE} lacks required fields`);
  return parsed;
}

function isManifest(v: unknown): v is ArtifactManifest {
  if (v === null || typeof v !== 'object') return false;
  const m = v as Record<string, unknown>;
  if (typeof m.algorithm !== 'string' || typeof m.formatVersion !== 'number') return false;
  if (typeof m.params !== 'object' || m.params === null || typeof m.payloads !== 'object' || m.payloads === null) return false;
  return Object.values(m.payloads as Record<string, unknown>).every((p) => {
    const e = p as Record<string, unknown> | null;
    return e !== null && typeof e === 'object' && typeof e.dtype === 'string' && typeof e.length === 'number' && typeof e.sha256 === 'string';
  });
}

function fileName(name: string, dtype: string): string {
  return dtype === STRINGS ? `${name}.json` : `${name}.bin`;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function dtypeOf(value: Exclude<Payload, string[]>): TypedDtype {
  if (value instanceof Float32Array) return 'float32';
  if (value instanceof Int32Array) return 'int32';
  if (value instanceof Float64Array) return 'float64';
  return 'uint8';
}

function encodePayload(value: Payload): { bytes: Uint8Array; dtype: string } {
  if (isIdList(value)) return { bytes: Buffer.from(JSON.stringify(value), 'utf8'), dtype: STRINGS };
  const dtype = dtypeOf(value);
  const view = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return { bytes: LITTLE_ENDIAN ? view : swapBytes(view, value.BYTES_PER_ELEMENT), dtype };
}

/** The thread's id list of this manifest entry's digest and length, if a model still holds one. */
function knownIdList(entry: ArtifactManifest['payloads'][string]): readonly string[] | undefined {
  const list = idListOf(entry.sha256);
  return list && list.length === entry.length ? list : undefined;
}

/** The pooled payload of this manifest entry, when the pool holds bytes of its digest and size. */
function fromPool(pool: PayloadPool | undefined, entry: ArtifactManifest['payloads'][string]): Payload | undefined {
  if (!pool || !Object.hasOwn(TYPED, entry.dtype)) return undefined;
  const Kind = TYPED[entry.dtype as TypedDtype];
  const bytes = pool.get(entry.sha256);
  return bytes && bytes.byteLength === entry.length * Kind.BYTES_PER_ELEMENT ? new Kind(bytes as unknown as ArrayBuffer, 0, entry.length) : undefined;
}

function decodePayload(bytes: Buffer, dtype: string, allocate?: (byteLength: number) => ArrayBufferLike): Payload | undefined {
  if (dtype === STRINGS) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      return undefined;
    }
    return Array.isArray(parsed) && parsed.every((s) => typeof s === 'string') ? (parsed as string[]) : undefined;
  }
  if (!Object.hasOwn(TYPED, dtype)) return undefined;
  const Kind = TYPED[dtype as TypedDtype];
  if (bytes.byteLength % Kind.BYTES_PER_ELEMENT !== 0) return undefined;
  // copy into a fresh, aligned buffer (a Buffer may sit at any offset of a shared pool)
  const own = new Uint8Array(allocate ? allocate(bytes.byteLength) : new ArrayBuffer(bytes.byteLength));
  own.set(LITTLE_ENDIAN ? bytes : swapBytes(bytes, Kind.BYTES_PER_ELEMENT));
  // the payload types name ArrayBuffer; a SharedArrayBuffer behind them reads the same
  return new Kind(own.buffer as ArrayBuffer, 0, bytes.byteLength / Kind.BYTES_PER_ELEMENT);
}

/** Byte-swapped copy, for big-endian hosts: artifacts are little-endian everywhere. */
function swapBytes(bytes: Uint8Array, width: number): Uint8Array {
  const out = new Uint8Array(bytes.byteLength);
  for (let i = 0; i < bytes.byteLength; i += width) {
    for (let k = 0; k < width; k++) out[i + k] = bytes[i + width - 1 - k];
  }
  return out;
}
