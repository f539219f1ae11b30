/**
 * Hands models to row fills: the current versions, or the previous ones when the chain falls back.
 * The primary algorithm may be overridden by an experiment variant, by algorithm or by version.
 */
import type { ModelHandle, ModelManager } from '../engine/contracts.ts';
import { SourceUnavailable } from './fallback-chain.ts';
import type { ModelPicker } from '../page/compose/row-source.ts';

/** The algorithm a variant's `model` names (an algorithm, or a version `<algorithm>-<yyyymmddhhmmss>-<x>`). */
export function algorithmOfModel(model: string): string {
  const m = /^(.+)-\d{14}-[a-z0-9]+$/.exec(model);
  return m ? m[1] : model;
}

/** A picker over `manager` ('current' or 'previous' versions) whose primary is `primary` (algorithm or version). */
export function modelPicker(manager: ModelManager | undefined, which: 'current' | 'previous', primary?: string): ModelPicker {
  const used: string[] = [];
  const primaryAlgorithm = primary ? algorithmOfModel(primary) : manager?.primaryAlgorithm ?? '';
  const pinnedVersion = primary && primary !== primaryAlgorithm ? primary : undefined;
  const lookup = (algorithm: string): ModelHandle | undefined => {
    if (!manager) return undefined;
    if (algorithm === primaryAlgorithm && pinnedVersion) {
      // a variant pinned to a version: use it whichever slot it is in; its fallback is the other one
      const cur = manager.current(algorithm);
      const prev = manager.previous(algorithm);
      const pinned = cur?.version === pinnedVersion ? cur : prev?.version === pinnedVersion ? prev : undefined;
      if (which === 'current') return pinned ?? cur;
      return pinned === cur ? prev : cur;
    }
    return which === 'current' ? manager.current(algorithm) : manager.previous(algorithm);
  };
  const note = (h: ModelHandle | undefined): ModelHandle | undefined => {
    if (h && !used.includes(h.version)) used.push(h.version);
    return h;
  };
  return {
    which,
    used,
    get(algorithm) {
      const name = algorithm ?? primaryAlgorithm;
      const h = note(lookup(name));
      if (h) return h;
      // a missing current model is worth reporting; a missing previous version is normal
      throw new SourceUnavailable(`no ${which} ${name || 'primary'} model is loaded`, which === 'current');
    },
    find: (algorithm) => note(lookup(algorithm ?? primaryAlgorithm)),
    available(algorithms) {
      const out: ModelHandle[] = [];
      for (const a of algorithms) {
        const h = lookup(a);
        if (h && !out.some((x) => x.version === h.version)) out.push(h);
      }
      out.forEach(note);
      return out;
    },
  };
}
