/** Timestamps arrive as ISO-8601 strings or epoch milliseconds and are stored as epoch milliseconds. */

const ISO_RE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch ms for an ISO-8601 string or a number of epoch ms; `undefined` when it is neither. */
export function toEpochMs(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 && value < 8.64e15 ? Math.trunc(value) : undefined;
  }
  if (typeof value === 'string' && ISO_RE.test(value)) {
    // a date or local time without a zone is taken as UTC, so imports do not depend on the machine's zone
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value) && value.length > 10;
    const text = value.length === 10 ? `${value}T00:00:00Z` : hasZone ? value : `${value}Z`;
    const ms = Date.parse(text.replace(' ', 'T'));
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

export const DAY_MS = 86_400_000;
