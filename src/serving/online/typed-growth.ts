/** Growing typed-array columns by doubling (the old contents copied, the rest zero). */

/** `arr` itself when it already holds `minLength` values, else a copy at least twice as long. */
export function grownInt32(arr: Int32Array, minLength: number): Int32Array {
  if (arr.length >= minLength) return arr;
  const out = new Int32Array(Math.max(minLength, arr.length * 2, 64));
  out.set(arr);
  return out;
}

/** As grownInt32, for float64 columns. */
export function grownFloat64(arr: Float64Array, minLength: number): Float64Array {
  if (arr.length >= minLength) return arr;
  const out = new Float64Array(Math.max(minLength, arr.length * 2, 64));
  out.set(arr);
  return out;
}

/** As grownInt32, for uint8 columns. */
export function grownUint8(arr: Uint8Array, minLength: number): Uint8Array {
  if (arr.length >= minLength) return arr;
  const out = new Uint8Array(Math.max(minLength, arr.length * 2, 64));
  out.set(arr);
  return out;
}
