/**
 * The style archetypes of the synthetic world. Each is one axis of the latent style space: an item's
 * style vector and a member's taste vector are mixtures over these archetypes, and every visible
 * attribute of an item (category, colour, pattern, fabric, silhouette, occasions, price, season) is
 * drawn from the tables of the archetypes in its mixture. The closed-loop simulator reads them too.
 */

/** What members rent for; mirrors RTR's `rented_for`. */
export const OCCASIONS = ['wedding', 'party', 'formal affair', 'work', 'vacation', 'date', 'everyday', 'other'] as const;
export type Occasion = (typeof OCCASIONS)[number];

export const CATEGORIES = [
  'dress', 'gown', 'sheath', 'shift', 'maxi', 'mini', 'jumpsuit', 'romper',
  'top', 'blouse', 'skirt', 'pant', 'sweater', 'jacket', 'coat',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Relative weights of the values of one attribute. */
export type WeightTable = Readonly<Record<string, number>>;

export interface StyleArchetype {
  name: string;
  /** share of the catalogue and of members' primary tastes */
  share: number;
  /** words a stylist would tag it with */
  keywords: readonly string[];
  categories: Readonly<Partial<Record<Category, number>>>;
  colours: WeightTable;
  patterns: WeightTable;
  fabrics: WeightTable;
  silhouettes: WeightTable;
  occasions: Readonly<Partial<Record<Occasion, number>>>;
  /** median retail price, dollars */
  priceMedian: number;
  /** day of year when it is most wanted, and how strongly (log-scale amplitude) */
  seasonPeakDay: number;
  seasonAmplitude: number;
}

const WINTER = 15;
const SPRING = 120;
const SUMMER = 190;
const HOLIDAYS = 350;

export const STYLE_ARCHETYPES: readonly StyleArchetype[] = [
  {
    name: 'minimal tailoring', share: 0.11, keywords: ['minimal', 'tailored', 'clean lines'],
    categories: { sheath: 3, pant: 2, jacket: 2, blouse: 2, shift: 2, dress: 1, jumpsuit: 1 },
    colours: { black: 3, ivory: 2, navy: 2, camel: 2, grey: 2 },
    patterns: { solid: 6, pinstripe: 1 },
    fabrics: { crepe: 3, wool: 2, silk: 1, cotton: 1 },
    silhouettes: { tailored: 3, straight: 2, column: 1 },
    occasions: { work: 4, everyday: 2, 'formal affair': 1, date: 1 },
    priceMedian: 350, seasonPeakDay: SPRING, seasonAmplitude: 0.1,
  },
  {
    name: 'boho florals', share: 0.09, keywords: ['boho', 'romantic', 'floral'],
    categories: { maxi: 3, dress: 2, skirt: 2, blouse: 2, romper: 1 },
    colours: { rust: 2, sage: 2, cream: 2, mustard: 1, terracotta: 1 },
    patterns: { floral: 5, paisley: 2, embroidered: 1 },
    fabrics: { chiffon: 2, cotton: 2, linen: 1, crochet: 1 },
    silhouettes: { flowy: 3, 'a-line': 2, tiered: 2 },
    occasions: { vacation: 2, wedding: 2, everyday: 2, party: 1, date: 1 },
    priceMedian: 250, seasonPeakDay: SUMMER, seasonAmplitude: 0.4,
  },
  {
    name: 'glam evening', share: 0.18, keywords: ['glam', 'evening', 'statement'],
    categories: { gown: 5, dress: 3, sheath: 1, jumpsuit: 1 },
    colours: { black: 2, gold: 2, silver: 1, emerald: 2, burgundy: 2, red: 1 },
    patterns: { sequin: 3, solid: 3, metallic: 2 },
    fabrics: { satin: 2, velvet: 1, sequins: 2, silk: 2, tulle: 1 },
    silhouettes: { mermaid: 2, column: 2, 'ball gown': 1, bodycon: 1 },
    occasions: { 'formal affair': 5, wedding: 3, party: 2 },
    priceMedian: 600, seasonPeakDay: HOLIDAYS, seasonAmplitude: 0.3,
  },
  {
    name: 'sporty casual', share: 0.08, keywords: ['sporty', 'casual', 'easy'],
    categories: { top: 3, pant: 2, jumpsuit: 1, romper: 1, sweater: 1, jacket: 1, mini: 1 },
    colours: { white: 2, grey: 2, navy: 2, olive: 1, black: 1 },
    patterns: { solid: 4, stripe: 2, 'colour block': 2 },
    fabrics: { jersey: 3, cotton: 2, nylon: 1 },
    silhouettes: { relaxed: 3, straight: 1, cropped: 1 },
    occasions: { everyday: 5, vacation: 1, work: 1, other: 1 },
    priceMedian: 150, seasonPeakDay: SUMMER, seasonAmplitude: 0.1,
  },
  {
    name: 'romantic lace', share: 0.12, keywords: ['romantic', 'feminine', 'delicate'],
    categories: { dress: 4, gown: 2, blouse: 1, mini: 1, skirt: 1 },
    colours: { blush: 3, ivory: 2, lavender: 1, 'dusty blue': 2, champagne: 1 },
    patterns: { lace: 4, solid: 2, 'polka dot': 1 },
    fabrics: { lace: 3, chiffon: 2, tulle: 2 },
    silhouettes: { 'fit and flare': 3, 'a-line': 2, empire: 1 },
    occasions: { wedding: 5, date: 2, party: 1, 'formal affair': 1 },
    priceMedian: 320, seasonPeakDay: SPRING, seasonAmplitude: 0.3,
  },
  {
    name: 'bold prints', share: 0.11, keywords: ['bold', 'playful', 'colourful'],
    categories: { dress: 3, mini: 2, jumpsuit: 1, top: 1, skirt: 1, shift: 1 },
    colours: { multi: 3, cobalt: 2, fuchsia: 2, orange: 1, yellow: 1 },
    patterns: { abstract: 3, geometric: 2, 'animal print': 2, tropical: 1 },
    fabrics: { crepe: 2, cotton: 1, silk: 1, jersey: 1 },
    silhouettes: { shift: 2, wrap: 2, 'a-line': 1 },
    occasions: { party: 3, date: 2, vacation: 1, work: 1 },
    priceMedian: 280, seasonPeakDay: SUMMER, seasonAmplitude: 0.15,
  },
  {
    name: 'cozy knits', share: 0.07, keywords: ['cozy', 'knit', 'layered'],
    categories: { sweater: 4, coat: 1, dress: 1, skirt: 1, pant: 1 },
    colours: { oatmeal: 2, charcoal: 2, camel: 2, 'forest green': 1, burgundy: 1 },
    patterns: { 'cable knit': 3, solid: 3, 'fair isle': 1 },
    fabrics: { wool: 3, cashmere: 2, knit: 3 },
    silhouettes: { relaxed: 2, oversized: 2, fitted: 1 },
    occasions: { everyday: 4, work: 2, date: 1, other: 1 },
    priceMedian: 220, seasonPeakDay: WINTER, seasonAmplitude: 0.7,
  },
  {
    name: 'edgy monochrome', share: 0.08, keywords: ['edgy', 'monochrome', 'downtown'],
    categories: { jacket: 2, mini: 2, top: 2, pant: 1, dress: 1, jumpsuit: 1 },
    colours: { black: 5, white: 1, grey: 1, silver: 1 },
    patterns: { solid: 4, studded: 1, graphic: 1 },
    fabrics: { 'faux leather': 3, denim: 1, jersey: 1, mesh: 1 },
    silhouettes: { bodycon: 2, cropped: 2, structured: 2 },
    occasions: { party: 3, date: 2, everyday: 1, other: 1 },
    priceMedian: 300, seasonPeakDay: HOLIDAYS, seasonAmplitude: 0.1,
  },
  {
    name: 'resort vacation', share: 0.08, keywords: ['resort', 'breezy', 'sunny'],
    categories: { maxi: 3, romper: 2, dress: 2, top: 1, skirt: 1, mini: 1 },
    colours: { white: 2, turquoise: 2, coral: 2, yellow: 1, 'sky blue': 1 },
    patterns: { tropical: 2, stripe: 2, solid: 2, floral: 1 },
    fabrics: { linen: 3, cotton: 2, chiffon: 1 },
    silhouettes: { flowy: 2, wrap: 2, relaxed: 1 },
    occasions: { vacation: 6, everyday: 1, party: 1, wedding: 1 },
    priceMedian: 200, seasonPeakDay: SUMMER, seasonAmplitude: 0.8,
  },
  {
    name: 'city outerwear', share: 0.08, keywords: ['outerwear', 'polished', 'layering'],
    categories: { coat: 4, jacket: 3, sweater: 1, pant: 1 },
    colours: { camel: 3, black: 2, charcoal: 2, navy: 1, cream: 1 },
    patterns: { solid: 3, houndstooth: 2, plaid: 2 },
    fabrics: { wool: 4, tweed: 2, cashmere: 1, leather: 1 },
    silhouettes: { structured: 2, belted: 2, oversized: 1 },
    occasions: { work: 3, everyday: 3, other: 1 },
    priceMedian: 450, seasonPeakDay: WINTER, seasonAmplitude: 0.8,
  },
];

/** Dimension of the latent style / taste space: one axis per archetype. */
export const LATENT_DIM = STYLE_ARCHETYPES.length;

/** Names of the archetypes, in latent-axis order. */
export const ARCHETYPE_NAMES: readonly string[] = STYLE_ARCHETYPES.map((a) => a.name);

/** Categories that follow the weather whatever their archetype: peak day and amplitude. */
export const CATEGORY_SEASONS: Readonly<Partial<Record<Category, { peakDay: number; amplitude: number }>>> = {
  coat: { peakDay: WINTER, amplitude: 0.9 },
  sweater: { peakDay: WINTER, amplitude: 0.7 },
  jacket: { peakDay: 45, amplitude: 0.4 },
  romper: { peakDay: SUMMER, amplitude: 0.6 },
  maxi: { peakDay: SUMMER, amplitude: 0.5 },
};

/** Display names used in titles ("Marchetti Black Silk Sheath"). */
export const CATEGORY_TITLES: Readonly<Record<Category, string>> = {
  dress: 'Dress', gown: 'Gown', sheath: 'Sheath', shift: 'Shift Dress', maxi: 'Maxi Dress', mini: 'Mini Dress',
  jumpsuit: 'Jumpsuit', romper: 'Romper', top: 'Top', blouse: 'Blouse', skirt: 'Skirt', pant: 'Trousers',
  sweater: 'Sweater', jacket: 'Jacket', coat: 'Coat',
};

/** Invented designer names. */
export const DESIGNERS: readonly string[] = [
  'Marchetti', 'Ellory Vance', 'Sable & Finch', 'Odette Rowe', 'Kestrel', 'Maison Valere', 'Aurelie Dufresne',
  'Thorne Atelier', 'Liora Benn', 'Calloway', 'Wren Hadley', 'Isolde Marr', 'Pacheco Lune', 'Vesna Kova',
  'Halden', 'Brisa Solano', 'Noor Atelier', 'Emberly', 'Castine', 'Juniper Vale', 'Orla Quist', 'Tamsin Reyes',
  'Belcourt', 'Saoirse Lane', 'Mirabel Ost', 'Delphine Arce', 'Corvid', 'Ines Falk', 'Rosalind Park',
  'Altamura', 'Greer & Holm', 'Paloma Verin', 'Sunniva', 'Hollis Crane', 'Zaria Bloom', 'Lumen Row',
  'Margaux Tell', 'Oberlin Saint', 'Vireo', 'Celeste Amari',
];
