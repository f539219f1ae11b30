/**
 * A picture for an item without `imageUrl`: its colour on a silhouette of its category, as an SVG
 * data URI, so that a catalogue without photos still reads at a glance.
 */
import type { Item } from '../../client/index.ts';

// named colours the demo and common catalogues use; anything else gets a stable hue from its name
const COLOURS = new Map<string, string>([
  ['black', '#1f1f1f'], ['white', '#f4f4f0'], ['ivory', '#f3ecd8'], ['cream', '#efe4c8'], ['red', '#b3261e'],
  ['navy', '#1f2f5c'], ['blue', '#2f5fb3'], ['emerald', '#1f7a55'], ['green', '#3c8a3c'], ['sage', '#9cae8f'],
  ['gold', '#c9a13b'], ['silver', '#b8b8c0'], ['blush', '#e8b4b0'], ['pink', '#e07aa0'], ['purple', '#6b3fa0'],
  ['burgundy', '#6d1a2c'], ['yellow', '#e8c830'], ['orange', '#e0782a'], ['grey', '#8a8a8a'], ['gray', '#8a8a8a'],
  ['beige', '#d9c7a7'], ['brown', '#6b4a2f'], ['teal', '#1f7a7a'], ['lilac', '#b9a3d6'], ['champagne', '#e8d9b5'],
]);

// outlines on a 100×140 canvas
const SILHOUETTES = new Map<string, string>([
  ['gown', 'M38 10h24l4 26-6 8 26 86H14l26-86-6-8z'],
  ['dress', 'M38 12h24l4 24-6 8 18 64H22l18-64-6-8z'],
  ['top', 'M30 20l12-8h16l12 8 14 20-12 8-6-8v56H34V40l-6 8-12-8z'],
  ['jacket', 'M30 16l14-6h12l14 6 12 20-4 86H70V60H30v62H22l-4-86z'],
  ['skirt', 'M32 40h36l18 80H14z'],
  ['pants', 'M32 20h36l6 104H56l-6-70-6 70H26z'],
  ['jumpsuit', 'M36 12h28l4 28-4 6 6 78H56l-6-56-6 56H30l6-78-4-6z'],
]);
const DEFAULT_SHAPE = 'M30 18h40l10 104H20z';

function hashHue(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}

export function colourOf(item: Pick<Item, 'attributes'>): { name: string; fill: string } {
  const raw = item.attributes && Object.hasOwn(item.attributes, 'colour') ? item.attributes.colour : undefined;
  const name = typeof raw === 'string' ? raw.toLowerCase() : '';
  const fill = COLOURS.get(name) ?? (name ? `hsl(${hashHue(name)} 45% 50%)` : '#9a9a9a');
  return { name, fill };
}

function shapeOf(category: string): string {
  const c = category.toLowerCase();
  for (const [key, path] of SILHOUETTES) if (c.includes(key)) return path;
  return DEFAULT_SHAPE;
}

/** The SVG of an item's colour and category silhouette, as a data: URI. */
export function generatedImage(item: Pick<Item, 'attributes' | 'category'>): string {
  const { fill } = colourOf(item);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 140"><rect width="100" height="140" fill="#eceae4"/>`
    + `<path d="${shapeOf(item.category)}" fill="${fill}" stroke="#3a3a3a" stroke-width="1.5"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** The image to show and its alt text: the item's photo, else the generated picture. */
export function itemPicture(item: Pick<Item, 'attributes' | 'category' | 'title' | 'imageUrl'>): { src: string; alt: string } {
  if (item.imageUrl) return { src: item.imageUrl, alt: item.title };
  const { name } = colourOf(item);
  return { src: generatedImage(item), alt: `${name ? `${name} ` : ''}${item.category.toLowerCase()} (drawing)` };
}
