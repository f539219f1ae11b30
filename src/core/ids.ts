/** Ids of items, members, events, carousels…: 1–128 characters of [A-Za-z0-9._:@-] (API.md). */
export const ID_PATTERN = '^[A-Za-z0-9._:@-]{1,128}$';
const ID_RE = new RegExp(ID_PATTERN);

/** True when `value` is a well-formed id. */
export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID_RE.test(value);
}
