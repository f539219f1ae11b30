/**
 * Records keyed by outside data (size labels, attribute keys, names): built without a prototype, so
 * "__proto__", "constructor" or "toString" are ordinary keys — an assignment never reaches
 * Object.prototype and a lookup never finds an inherited function. They serialise like `{}`.
 * Constant lookup tables written as literals are read with `Object.hasOwn` first instead.
 */

/** An empty record with no prototype (the lint rule points accumulators here or to a Map). */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
