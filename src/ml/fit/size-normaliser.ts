/**
 * Size labels → one ordinal number, so "US 8", "8P", "EU 38", "UK 12" and "M" can be compared and
 * subtracted. The scale is US women's numeric sizes (0, 2, 4 … 24); letter sizes sit at the middle of
 * the numeric range they usually cover. Plain numbers pass through unchanged, so a data set that is
 * already ordinal (Rent the Runway's `size` column) keeps its own scale.
 */

// letter sizes at the middle of the US numeric sizes they cover (XS ≈ 0–2, S ≈ 4–6, M ≈ 8–10…)
const LETTER_SIZES: Record<string, number> = {
  xxxs: -2, '3xs': -2, xxs: 0, '2xs': 0, xs: 1, s: 5, m: 9, l: 13, xl: 17, xxl: 21, '2xl': 21,
  xxxl: 25, '3xl': 25, '4xl': 29, '5xl': 33,
  small: 5, medium: 9, large: 13, 'x-small': 1, 'extra small': 1, 'x-large': 17, 'extra large': 17,
  'xx-large': 21, 'xx-small': 0,
  // women's plus sizes: 1X ≈ 14W–16W, 2X ≈ 18W–20W, 3X ≈ 22W–24W
  '0x': 13, '1x': 15, '2x': 19, '3x': 23, '4x': 27, '5x': 31,
};

// offset from a regional numeric size to the US one (EU/FR/DE 38 = US 8, IT 42 = US 6, UK/AU 12 = US 8)
const REGION_OFFSET: Record<string, number> = { us: 0, eu: -30, fr: -30, de: -30, it: -36, uk: -4, au: -4 };

const NUMERIC = /^(\d+(?:\.\d+)?)\s*(?:[prlw]|petite|regular|long|tall|plus)?$/;
const REGIONAL = /^(us|eu|fr|de|it|uk|au)\s*(\d+(?:\.\d+)?)\s*(?:[prlw])?$/;
const REGIONAL_AFTER = /^(\d+(?:\.\d+)?)\s*(us|eu|fr|de|it|uk|au)$/;

/** The ordinal size of a label ("US 8" → 8, "EU 38" → 8, "M" → 9, "S/M" → 7); NaN when not a size. */
export function normaliseSize(label: string | number | null | undefined): number {
  if (typeof label === 'number') return Number.isFinite(label) ? label : Number.NaN;
  if (typeof label !== 'string') return Number.NaN;
  const text = label.trim().toLowerCase().replace(/^size\s+/, '');
  if (text === '') return Number.NaN;
  const ranged = text.split(/\s*[/–-]\s*(?=\S)/);
  // "S/M", "8-10": the middle of both ends (but "x-small" is one word, handled below)
  if (ranged.length === 2 && !Object.hasOwn(LETTER_SIZES, text)) {
    const a = normaliseOne(ranged[0]);
    const b = normaliseOne(ranged[1]);
    if (Number.isFinite(a) && Number.isFinite(b)) return (a + b) / 2;
  }
  return normaliseOne(text);
}

function normaliseOne(text: string): number {
  // own keys only: a size labelled "constructor" or "__proto__" is not a size, not Object
  if (Object.hasOwn(LETTER_SIZES, text)) return LETTER_SIZES[text];
  const plain = NUMERIC.exec(text);
  if (plain) return Number(plain[1]);
  const regional = REGIONAL.exec(text);
  if (regional) return Number(regional[2]) + REGION_OFFSET[regional[1]];
  const after = REGIONAL_AFTER.exec(text);
  if (after) return Number(after[1]) + REGION_OFFSET[after[2]];
  return Number.NaN;
}

// cup letters in order; the UK "dd"/"ddd" equal US "e"/"f"
const CUP_ORDINAL: Record<string, number> = {
  aa: 0, a: 1, b: 2, c: 3, d: 4, 'd+': 4, dd: 5, e: 5, ddd: 6, f: 6, g: 7, h: 8, i: 9, j: 10, k: 11,
};

/** The ordinal of a bra cup letter ("aa" → 0, "a" → 1 … "dd" = "e" → 5); NaN when unknown. */
export function cupOrdinal(letter: string | null | undefined): number {
  if (typeof letter !== 'string') return Number.NaN;
  const key = letter.trim().toLowerCase();
  return Object.hasOwn(CUP_ORDINAL, key) ? CUP_ORDINAL[key] : Number.NaN;
}
