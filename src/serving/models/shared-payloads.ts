/**
 * The typed payloads of the model versions a thread has loaded, as SharedArrayBuffers by sha256
 * (ml/artifact.ts PayloadPool), so the HTTP thread and its page workers hold one copy of each model's
 * arrays rather than one per thread (ADR 0011). The HTTP thread loads first and hands its buffers to
 * the workers (at start and with every `models` change); a worker loading a payload it was not handed
 * reads the file as before. Buffers of versions no longer loaded are let go, so memory follows what
 * is served, not every version ever trained.
 */
import { Gauge, type Registry } from 'prom-client';
import type { PayloadPool } from '../../ml/artifact.ts';

export type PayloadBuffers = ReadonlyMap<string, SharedArrayBuffer>;

export class SharedPayloads {
  private readonly buffers = new Map<string, SharedArrayBuffer>();
  /** the digests each loaded version reads */
  private readonly byVersion = new Map<string, Set<string>>();
  private readFromFiles = 0;

  constructor(handed?: PayloadBuffers) {
    if (handed) this.adopt(handed);
  }

  /** Takes the buffers another thread handed over (kept until no loaded version reads them). */
  adopt(handed: PayloadBuffers): void {
    for (const [digest, bytes] of handed) this.buffers.set(digest, bytes);
  }

  /** The pool one version loads through: its digests are remembered against it. */
  forVersion(version: string): PayloadPool {
    const digests = new Set<string>();
    this.byVersion.set(version, digests);
    return {
      get: (digest) => {
        const bytes = this.buffers.get(digest);
        if (bytes) digests.add(digest);
        return bytes;
      },
      put: (digest, bytes) => {
        this.readFromFiles += bytes.byteLength;
        this.buffers.set(digest, bytes);
        digests.add(digest);
      },
    };
  }

  /** Keeps the buffers of `versions` (those loaded now) and lets every other go. */
  retain(versions: Iterable<string>): void {
    const keep = new Set(versions);
    for (const version of this.byVersion.keys()) if (!keep.has(version)) this.byVersion.delete(version);
    const used = new Set<string>();
    for (const digests of this.byVersion.values()) for (const d of digests) used.add(d);
    for (const digest of this.buffers.keys()) if (!used.has(digest)) this.buffers.delete(digest);
  }

  /** The buffers to hand to another thread. */
  buffersHeld(): PayloadBuffers {
    return new Map(this.buffers);
  }

  /** Bytes held. */
  bytes(): number {
    let total = 0;
    for (const b of this.buffers.values()) total += b.byteLength;
    return total;
  }

  /** Bytes this thread read from artifact files itself, ever (not handed over by another thread). */
  bytesRead(): number {
    return this.readFromFiles;
  }
}

/** /metrics: what the HTTP thread's models hold (`scope` 'http') or what page workers read themselves ('worker'). */
export function registerPayloadMetrics(registry: Registry, payloads: SharedPayloads, scope: 'http' | 'worker'): void {
  if (scope === 'http') {
    new Gauge({
      name: 'vitrine_model_payload_bytes', help: 'Bytes of the loaded models\' typed arrays (shared with the page workers, ADR 0011)',
      registers: [registry], collect() { this.set(payloads.bytes()); },
    });
    return;
  }
  new Gauge({
    name: 'vitrine_page_worker_model_bytes_read', help: 'Model payload bytes page workers read from artifact files themselves (0 when all were shared by the HTTP thread)',
    registers: [registry], collect() { this.set(payloads.bytesRead()); },
  });
}
