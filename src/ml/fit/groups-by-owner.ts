/**
 * Keyed group stats (item × size, member × category; see fit-tables.ts) re-indexed by their owner for
 * serving: the groups of owner o are entries start[o] … start[o + 1] − 1, each a key part (the size
 * step, the category code) and its group. Finding an item's group in a size is then a scan of that
 * item's few sizes instead of a Map lookup per row. Built from the keys the training path's key →
 * group map is made of (group g is keys[g]), so both find the same group, without making that map.
 * Memory: 8 bytes per group + 4 per owner.
 */

export interface GroupsByOwner {
  start: Int32Array;
  part: Int32Array;
  group: Int32Array;
}

/** The groups of `keys` (group g's key = owner · span + part) by owner, for owners 0 … nOwners − 1. */
export function groupsByOwner(keys: Float64Array, nOwners: number, span: number): GroupsByOwner {
  const start = new Int32Array(nOwners + 1);
  const ownerOf = (key: number): number => Math.floor(key / span);
  // keys of owners the model does not know can never be asked for; they are left out
  for (let g = 0; g < keys.length; g++) {
    const o = ownerOf(keys[g]);
    if (keys[g] >= 0 && o < nOwners) start[o + 1]++;
  }
  for (let o = 0; o < nOwners; o++) start[o + 1] += start[o];
  const fill = start.slice(0, nOwners);
  const part = new Int32Array(start[nOwners]);
  const group = new Int32Array(start[nOwners]);
  for (let g = 0; g < keys.length; g++) {
    const key = keys[g], o = ownerOf(key);
    if (key < 0 || o >= nOwners) continue;
    part[fill[o]] = key - o * span;
    group[fill[o]++] = g;
  }
  return { start, part, group };
}

/** The group of `owner` with key part `p`, −1 when there is none (or owner or p is −1). */
export function groupOf(groups: GroupsByOwner, owner: number, p: number): number {
  if (owner < 0 || p < 0) return -1;
  const end = groups.start[owner + 1];
  for (let e = groups.start[owner]; e < end; e++) if (groups.part[e] === p) return groups.group[e];
  return -1;
}
