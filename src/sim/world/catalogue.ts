/**
 * The synthetic catalogue: designer styles with a latent style vector from which every visible
 * attribute is drawn, a content embedding projected from that vector, a size offset (runs small or
 * large), a few units in some sizes, a season, and an arrival day.
 */
import type { AttributeValue } from '../../core/types.ts';
import { DAY_MS } from '../../core/time.ts';
import {
  CATEGORY_SEASONS, CATEGORY_TITLES, DESIGNERS, LATENT_DIM, OCCASIONS, STYLE_ARCHETYPES,
  type Category, type Occasion,
} from './archetypes.ts';
import { Rng } from './rng.ts';
import { SIZE_CHART, SIZE_COUNT } from './size-chart.ts';
import { ARCHETYPE_SHARES, compileTable, drawArchetype, mixtureVector, normalize, roundTo, type CompiledTable } from './style-space.ts';

/** Dimension of the item content embedding. */
export const EMBEDDING_DIM = 32;
/** Share of the catalogue on the shelf on day 0; the rest arrives over the period. */
const INITIAL_SHARE = 0.6;

/** One line of items.jsonl: the `PUT /v1/items` body plus its id. */
export interface WorldItem {
  id: string;
  title: string;
  category: string;
  brand: string;
  tags: string[];
  attributes: Record<string, AttributeValue>;
  price: number;
  embedding: number[];
  /** size label → units owned */
  sizes: Record<string, number>;
  /** epoch ms */
  availableFrom: number;
}

/** The catalogue with its latent truth in typed arrays (row i = item i). */
export interface Catalogue {
  count: number;
  records: WorldItem[];
  /** count × LATENT_DIM unit vectors */
  style: Float32Array;
  primaryArchetype: Uint8Array;
  /** chart steps; + runs large (a size 8 fits like a 10 at +1) */
  sizeOffset: Float32Array;
  /** log-odds of global attractiveness, shared by all members */
  appeal: Float32Array;
  seasonPeakDay: Float32Array;
  seasonAmplitude: Float32Array;
  /** day index (from the world's start) the item arrives */
  arrivalDay: Int32Array;
  /** occasion indexes (into OCCASIONS) the item suits, best first */
  occasions: Uint8Array[];
  price: Float32Array;
  /** count × SIZE_COUNT units owned per size */
  stock: Uint8Array;
}

interface ArchetypeTables {
  categories: CompiledTable;
  colours: CompiledTable;
  patterns: CompiledTable;
  fabrics: CompiledTable;
  silhouettes: CompiledTable;
  occasions: CompiledTable;
}

const TABLES: ArchetypeTables[] = STYLE_ARCHETYPES.map((a) => ({
  categories: compileTable(a.categories as Record<string, number>),
  colours: compileTable(a.colours),
  patterns: compileTable(a.patterns),
  fabrics: compileTable(a.fabrics),
  silhouettes: compileTable(a.silhouettes),
  occasions: compileTable(a.occasions as Record<string, number>),
}));

/** Designers that specialise in each archetype (two archetypes per designer). */
const DESIGNERS_BY_ARCHETYPE: string[][] = STYLE_ARCHETYPES.map((_, k) =>
  DESIGNERS.filter((_d, j) => j % LATENT_DIM === k || (j * 3 + 1) % LATENT_DIM === k));

/** Generates `count` items for a world starting at `startMs` and lasting `days` days. */
export function generateCatalogue(count: number, seed: number, startMs: number, days: number): Catalogue {
  const rng = new Rng(seed, 'catalogue');
  const projection = projectionMatrix(seed);
  const cat: Catalogue = {
    count, records: [], style: new Float32Array(count * LATENT_DIM), primaryArchetype: new Uint8Array(count),
    sizeOffset: new Float32Array(count), appeal: new Float32Array(count), seasonPeakDay: new Float32Array(count),
    seasonAmplitude: new Float32Array(count), arrivalDay: new Int32Array(count), occasions: [],
    price: new Float32Array(count), stock: new Uint8Array(count * SIZE_COUNT),
  };
  const width = Math.max(5, String(count).length);
  for (let i = 0; i < count; i++) {
    const primary = rng.weightedIndex(ARCHETYPE_SHARES);
    const style = mixtureVector(rng, primary, 0.35, 0.15);
    cat.style.set(style, i * LATENT_DIM);
    cat.primaryArchetype[i] = primary;
    const draw = (table: keyof ArchetypeTables): string => {
      const t = TABLES[drawArchetype(style, 0, rng)][table];
      return t.values[rng.weightedIndex(t.weights)];
    };
    const category = draw('categories') as Category;
    const colour = draw('colours');
    const pattern = draw('patterns');
    const fabric = draw('fabrics');
    const silhouette = draw('silhouettes');
    const occasions = drawOccasions(rng, draw);
    cat.occasions.push(Uint8Array.from(occasions, (o) => OCCASIONS.indexOf(o)));

    const archetype = STYLE_ARCHETYPES[primary];
    const { peakDay, amplitude } = CATEGORY_SEASONS[category]
      ?? { peakDay: archetype.seasonPeakDay, amplitude: archetype.seasonAmplitude };
    cat.seasonPeakDay[i] = peakDay;
    cat.seasonAmplitude[i] = amplitude;
    cat.sizeOffset[i] = Math.max(-1.5, Math.min(1.5, rng.normal(0, 0.6)));
    cat.appeal[i] = rng.normal(0, 0.5);
    cat.arrivalDay[i] = days > 1 && !rng.chance(INITIAL_SHARE) ? 1 + rng.int(days - 1) : 0;
    const price = Math.max(40, Math.round(archetype.priceMedian * Math.exp(rng.normal(0, 0.35)) / 5) * 5);
    cat.price[i] = price;
    const sizes = drawStock(rng, cat.stock, i);

    const brandPool = rng.chance(0.75) ? DESIGNERS_BY_ARCHETYPE[primary] : DESIGNERS;
    const brand = rng.pick(brandPool);
    const keyword = rng.pick(archetype.keywords);
    const detail = pattern === 'solid' ? fabric : pattern;
    cat.records.push({
      id: `i${String(i + 1).padStart(width, '0')}`,
      title: `${brand} ${titleCase(colour)} ${titleCase(detail)} ${CATEGORY_TITLES[category]}`,
      category,
      brand,
      tags: [...new Set([keyword, ...occasions, colour, pattern])],
      attributes: { colour, pattern, fabric, silhouette, occasion: occasions[0], season: seasonName(peakDay, amplitude) },
      price,
      embedding: embed(projection, style, rng),
      sizes,
      availableFrom: startMs + cat.arrivalDay[i] * DAY_MS,
    });
  }
  return cat;
}

/** One to three distinct occasions, drawn from the style's occasion tables. */
function drawOccasions(rng: Rng, draw: (table: 'occasions') => string): Occasion[] {
  const wanted = 1 + (rng.chance(0.6) ? 1 : 0) + (rng.chance(0.3) ? 1 : 0);
  const out: Occasion[] = [];
  for (let attempt = 0; attempt < 8 && out.length < wanted; attempt++) {
    const o = draw('occasions') as Occasion;
    if (!out.includes(o)) out.push(o);
  }
  return out;
}

/** A contiguous run of sizes with a few gaps, 1–3 units each (more in the middle sizes). */
function drawStock(rng: Rng, stock: Uint8Array, item: number): Record<string, number> {
  const lo = rng.int(3);
  const hi = SIZE_COUNT - 1 - rng.int(4);
  const sizes: Record<string, number> = {};
  for (let s = lo; s <= hi; s++) {
    if (!rng.chance(0.85) && s !== lo + ((hi - lo) >> 1)) continue;
    const middle = s >= 3 && s <= 7;
    const units = Math.min(3, 1 + (rng.chance(0.4) ? 1 : 0) + (middle && rng.chance(0.4) ? 1 : 0));
    stock[item * SIZE_COUNT + s] = units;
    sizes[SIZE_CHART[s]] = units;
  }
  return sizes;
}

/** A fixed random projection from the latent space to the embedding space (per seed). */
function projectionMatrix(seed: number): Float32Array {
  const rng = new Rng(seed, 'projection');
  const g = new Float32Array(EMBEDDING_DIM * LATENT_DIM);
  for (let j = 0; j < g.length; j++) g[j] = rng.normal();
  return g;
}

/** Projects a style vector, adds a little noise (attributes the style does not explain), unit length. */
function embed(projection: Float32Array, style: Float32Array, rng: Rng): number[] {
  const e = new Float32Array(EMBEDDING_DIM);
  for (let d = 0; d < EMBEDDING_DIM; d++) {
    let x = 0;
    for (let k = 0; k < LATENT_DIM; k++) x += projection[d * LATENT_DIM + k] * style[k];
    e[d] = x + rng.normal(0, 0.3);
  }
  normalize(e);
  return Array.from(e, (x) => roundTo(x, 4));
}

function seasonName(peakDay: number, amplitude: number): string {
  if (amplitude < 0.35) return 'all season';
  if (peakDay < 80 || peakDay > 330) return 'winter';
  if (peakDay < 160) return 'spring';
  return 'summer';
}

function titleCase(text: string): string {
  return text.replace(/\b[a-z]/g, (c) => c.toUpperCase());
}
