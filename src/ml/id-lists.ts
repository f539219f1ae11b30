/**
 * Id lists (a model's members, its items) held once per thread, and their id → position maps once per
 * list. Every model trained on the same data lists the same members and items: on the 1M-member bench
 * world four artifacts list the same 355,877 members and six the same 19,860 items, and each list,
 * its strings and its map (~8 + ~9 MB for the members) were held once per model in every serving
 * thread. A list is found by its payload's sha256 once the file is read and verified (artifact.ts), and
 * kept while a model holds it (a weak reference: the last model of a digest gone, its list goes too).
 * Shared lists are frozen: a model that must grow its own (content's new items) copies it first.
 */
const lists = new Map<string, WeakRef<readonly string[]>>();
const forget = new FinalizationRegistry<string>((sha256) => {
  if (lists.get(sha256)?.deref() === undefined) lists.delete(sha256);
});
const indexes = new WeakMap<readonly string[], ReadonlyMap<string, number>>();

/** The live list loaded with this digest, if any model still holds it. */
export function idListOf(sha256: string): readonly string[] | undefined {
  return lists.get(sha256)?.deref();
}

/** Keeps `list` (just read and verified) as the thread's list of this digest; returns it frozen. */
export function shareIdList(sha256: string, list: readonly string[]): readonly string[] {
  const frozen = Object.freeze(list);
  lists.set(sha256, new WeakRef(frozen));
  forget.register(frozen, sha256);
  return frozen;
}

/** id → position in `ids`, made once per list (a list must not change after it is indexed). */
export function indexOf(ids: readonly string[]): ReadonlyMap<string, number> {
  let index = indexes.get(ids);
  if (!index) {
    index = new Map(ids.map((id, i) => [id, i]));
    indexes.set(ids, index);
  }
  return index;
}
