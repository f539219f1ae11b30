// Small DOM helpers shared by the console's modules.
export const $ = (id) => document.getElementById(id);

const COLOURS = { black: '#222', white: '#e6e1d8', ivory: '#d8cfbd', cream: '#d9ccb0', oatmeal: '#c2b49a', camel: '#b08a5a',
  navy: '#1f2f57', cobalt: '#2747a8', 'sky blue': '#7fb0dd', 'dusty blue': '#7d93ad', turquoise: '#2aa5a0',
  red: '#b3263a', burgundy: '#6d1f2e', coral: '#e0735f', fuchsia: '#c2307e', blush: '#d9a3a0', lavender: '#a99bc9',
  emerald: '#1f7a5c', 'forest green': '#2f5a3a', sage: '#98a98a', olive: '#6b6b3a', mustard: '#c9a233', yellow: '#e0c040',
  orange: '#d0723a', rust: '#a4502a', terracotta: '#b8643e', gold: '#b8923a', champagne: '#d6c29a', silver: '#a3a8ad',
  grey: '#808080', charcoal: '#3f4245', multi: 'linear-gradient(135deg,#c2307e,#e0c040,#2aa5a0)' };

/** An element with attributes (`onclick` becomes a listener) and children (strings become text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'onclick') node.addEventListener('click', v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c !== undefined && c !== null) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** A colour block standing in for the item's photo, labelled with its colour (or category). */
export function swatch(item) {
  const colour = String(item?.attributes?.colour ?? item?.attributes?.color ?? '').toLowerCase();
  // own keys only: a colour named "constructor" is an unknown colour, not Object
  const background = Object.hasOwn(COLOURS, colour) ? COLOURS[colour] : '#9c8f80';
  return el('div', { class: 'swatch', style: `background:${background}` }, colour || item?.category || '');
}

/** Shows a short message at the bottom right for a few seconds. */
export function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 2500);
}

/** The text to show for a failed call: the API's code and message when there is one. */
export function describeError(e) {
  return e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? e);
}

/** The size to rent in: one of the member's sizes with units left, else any size with units left. */
export function rentableSize(item, memberSizes = []) {
  const open = Object.entries(item?.sizes ?? {}).filter(([, n]) => n > 0).map(([s]) => s);
  return memberSizes.find((s) => open.includes(s)) ?? open[0];
}

let seq = 0;
/** An event id unique to this tab (the API treats a re-sent id as a duplicate). */
export const eventId = () => `ui-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${seq++}`;
