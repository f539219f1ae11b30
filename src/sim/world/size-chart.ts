/**
 * The size chart of the synthetic world: US numeric sizes 0–22 for every category (RTR, too, uses
 * one numeric size scale across categories). A member's true size is continuous on this scale; an
 * item's size offset says how it runs, in chart steps (+1: a size 8 fits like a 10).
 */

/** Size labels, smallest first. */
export const SIZE_CHART: readonly string[] = ['0', '2', '4', '6', '8', '10', '12', '14', '16', '18', '20', '22'];
/** Numeric value of each chart size. */
export const SIZE_VALUES: readonly number[] = SIZE_CHART.map(Number);
/** Numeric distance between neighbouring chart sizes. */
export const SIZE_STEP = 2;
export const SIZE_COUNT = SIZE_CHART.length;

/** Index of the chart size nearest a numeric size (clamped to the chart). */
export function nearestSizeIndex(size: number): number {
  const idx = Math.round((size - SIZE_VALUES[0]) / SIZE_STEP);
  return Math.max(0, Math.min(SIZE_COUNT - 1, idx));
}

/** Index of a size label, -1 when it is not on the chart. */
export function sizeIndexOf(label: string): number {
  return SIZE_CHART.indexOf(label);
}
