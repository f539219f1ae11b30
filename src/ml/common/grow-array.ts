/** A typed array of `length` holding `arr`'s values first (the rest zero): for arrays grown by appends. */
export function grow<T extends Int32Array | Float32Array>(arr: T, length: number): T {
  const out = new (arr.constructor as new (n: number) => T)(length);
  out.set(arr);
  return out;
}
