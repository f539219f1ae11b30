import assert from 'node:assert/strict';
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadArtifact, payloadOf, saveArtifact, stringsOf, type ManifestDraft } from '../src/ml/artifact.ts';
import { indexOf } from '../src/ml/id-lists.ts';
import { assertCode, tempDir } from './helpers/ml-data.ts';

const { dir: root, cleanup } = tempDir();
after(cleanup);

const draft: ManifestDraft = {
  algorithm: 'toy', formatVersion: 3, params: { lambda: 5 }, createdAt: 1, dataFrom: 10, dataTo: 20, nUsers: 2, nItems: 3, nInteractions: 4,
};
const payloads = {
  f32: Float32Array.from([1.5, -2, Math.PI]),
  i32: Int32Array.from([-7, 0, 2 ** 31 - 1]),
  f64: Float64Array.from([Math.E, -0, 1e300]),
  u8: Uint8Array.from([0, 255, 7]),
  ids: ['a', 'b:c', 'd-é'],
};

async function saved(name: string): Promise<string> {
  const dir = join(root, name);
  await saveArtifact(dir, draft, payloads);
  return dir;
}

test('a saved artifact loads back with identical values, types and manifest', async () => {
  const dir = await saved('roundtrip');
  const loaded = await loadArtifact(dir, 'toy', 3);
  assert.deepEqual(loaded.payloads, payloads);
  assert.ok(payloadOf(loaded, 'f64', Float64Array) instanceof Float64Array);
  assert.deepEqual(stringsOf(loaded, 'ids'), ['a', 'b:c', 'd-é']);
  assert.equal(loaded.manifest.params.lambda, 5);
  assert.equal(loaded.manifest.payloads.f32.length, 3);
  assert.match(loaded.manifest.payloads.f32.sha256, /^[0-9a-f]{64}$/);
});

test('typed payloads are little-endian on disk', async () => {
  const dir = await saved('endian');
  assert.deepEqual([...readFileSync(join(dir, 'i32.bin')).subarray(0, 4)], [0xf9, 0xff, 0xff, 0xff]); // −7
});

test('a tampered payload byte is refused as CORRUPT', async () => {
  const dir = await saved('tampered');
  const file = join(dir, 'f32.bin');
  const bytes = readFileSync(file);
  bytes[5] ^= 0x01;
  writeFileSync(file, bytes);
  await assertCode(() => loadArtifact(dir, 'toy', 3), 'VITRINE_MODEL_ARTIFACT_CORRUPT', 'sha256');
});

test('a truncated payload, a missing payload or a missing manifest is CORRUPT', async () => {
  const truncated = await saved('truncated');
  truncateSync(join(truncated, 'f64.bin'), 8);
  await assertCode(() => loadArtifact(truncated, 'toy', 3), 'VITRINE_MODEL_ARTIFACT_CORRUPT');
  const missing = await saved('missing');
  rmSync(join(missing, 'ids.json'));
  await assertCode(() => loadArtifact(missing, 'toy', 3), 'VITRINE_MODEL_ARTIFACT_CORRUPT', 'lacks payload "ids"');
  const noManifest = await saved('no-manifest');
  rmSync(join(noManifest, 'manifest.json'));
  await assertCode(() => loadArtifact(noManifest, 'toy', 3), 'VITRINE_MODEL_ARTIFACT_CORRUPT');
  const garbled = await saved('garbled');
  writeFileSync(join(garbled, 'manifest.json'), '{"algorithm": "toy", ');
  await assertCode(() => loadArtifact(garbled, 'toy', 3), 'VITRINE_MODEL_ARTIFACT_CORRUPT', 'not valid JSON');
});

test('a manifest whose length disagrees with its payload is CORRUPT', async () => {
  const dir = await saved('length');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  manifest.payloads.u8.length = 4;
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  await assertCode(() => loadArtifact(dir, 'toy', 3), 'VITRINE_MODEL_ARTIFACT_CORRUPT', 'manifest says 4');
});

test('a bumped format version or another algorithm is refused as VERSION', async () => {
  const dir = await saved('version');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  manifest.formatVersion = 4;
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  await assertCode(() => loadArtifact(dir, 'toy', 3), 'VITRINE_MODEL_ARTIFACT_VERSION', 'format version 4');
  const other = await saved('other');
  await assertCode(() => loadArtifact(other, 'ease', 3), 'VITRINE_MODEL_ARTIFACT_VERSION', '"toy" model');
});

test('a payload of the wrong type is CORRUPT when a model asks for it', async () => {
  const loaded = await loadArtifact(await saved('types'), 'toy', 3);
  assert.throws(() => payloadOf(loaded, 'i32', Float32Array), /not a Float32Array/);
  assert.throws(() => stringsOf(loaded, 'f32'), /not a string list/);
  assert.throws(() => payloadOf(loaded, 'f32', Float32Array, 4), /expected 4/);
});

test('through a payload pool, typed payloads are read once into SharedArrayBuffers and then found by digest', async () => {
  const dir = await saved('pooled');
  const buffers = new Map<string, SharedArrayBuffer>();
  const pool = { get: (d: string) => buffers.get(d), put: (d: string, b: SharedArrayBuffer) => void buffers.set(d, b) };
  const first = await loadArtifact(dir, 'toy', 3, { pool });
  assert.deepEqual(first.payloads, payloads);
  assert.equal(buffers.size, 4, 'the four typed payloads, not the id list');
  assert.ok(payloadOf(first, 'f32', Float32Array).buffer instanceof SharedArrayBuffer);
  // the pooled bytes answer for the file: a load through the pool no longer reads it; one without does
  rmSync(join(dir, 'f32.bin'));
  const second = await loadArtifact(dir, 'toy', 3, { pool });
  assert.equal(payloadOf(second, 'f32', Float32Array).buffer, payloadOf(first, 'f32', Float32Array).buffer, 'the same memory, not a copy');
  assert.deepEqual(second.payloads, payloads);
  await assertCode(() => loadArtifact(dir, 'toy', 3), 'VITRINE_MODEL_ARTIFACT_CORRUPT');
});

test('a pooled buffer of another size than the manifest says is not used: the file is read and checked', async () => {
  const dir = await saved('pooled-size');
  const digest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).payloads.f32.sha256 as string;
  const buffers = new Map<string, SharedArrayBuffer>([[digest, new SharedArrayBuffer(4)]]);
  const pool = { get: (d: string) => buffers.get(d), put: (d: string, b: SharedArrayBuffer) => void buffers.set(d, b) };
  const loaded = await loadArtifact(dir, 'toy', 3, { pool });
  assert.deepEqual(payloadOf(loaded, 'f32', Float32Array), payloads.f32);
  assert.equal(buffers.get(digest)?.byteLength, 12, 'replaced by the verified bytes');
});

test('artifacts listing the same ids share one frozen list and one index in the thread', async () => {
  const first = await loadArtifact(await saved('ids-one'), 'toy', 3);
  const second = await loadArtifact(await saved('ids-two'), 'toy', 3);
  const ids = stringsOf(first, 'ids');
  assert.equal(stringsOf(second, 'ids'), ids, 'the same array, found by its digest');
  assert.deepEqual(ids, payloads.ids);
  assert.ok(Object.isFrozen(ids), 'shared lists cannot be written');
  assert.equal(indexOf(ids), indexOf(stringsOf(second, 'ids')));
  assert.equal(indexOf(ids).get('b:c'), 1);
  // another list (another digest) is read from its file as ever
  await saveArtifact(join(root, 'ids-other'), draft, { ...payloads, ids: ['x', 'y'] });
  assert.deepEqual(stringsOf(await loadArtifact(join(root, 'ids-other'), 'toy', 3), 'ids'), ['x', 'y']);
});
