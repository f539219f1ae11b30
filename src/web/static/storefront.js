// Storefront preview: a member's page (GET /v1/users/:id/page) drawn as a shop would, rows of carousels
// with each item's reason, and how the page was served (variant, model, time, fallbacks).
import { $, describeError, el, eventId, rentableSize, swatch, toast } from './dom.js';

const ROWS = 8;
const PER_ROW = 12;

/** Item details by id, fetched once: a page only names its items. */
function itemCache(client) {
  const known = new Map();
  return {
    seed(items) { for (const i of items) known.set(i.id, i); },
    get: (id) => known.get(id),
    async load(ids) {
      const missing = [...new Set(ids)].filter((id) => !known.has(id));
      for (let k = 0; k < missing.length; k += 8) { // a few at a time, not 160 requests at once
        await Promise.all(missing.slice(k, k + 8).map(async (id) => {
          known.set(id, await client().items.get(id).catch(() => null));
        }));
      }
    },
  };
}

function servedLine(page) {
  const fact = (label, value, testid) => el('span', { class: 'fact' }, `${label} `, el('b', { 'data-testid': testid }, value));
  return el('p', { class: 'served' },
    fact('variant', page.variant, 'sf-variant'), fact('model', page.modelVersion ?? 'none', 'sf-model'),
    fact('took', `${page.tookMs} ms`, 'sf-took'), fact('page', page.pageId, 'sf-page-id'));
}

function fallbackList(page) {
  if (!page.fallbacks.length) return el('p', { class: 'fallbacks none', 'data-testid': 'sf-fallbacks' }, 'no fallbacks fired');
  return el('details', { class: 'fallbacks', 'data-testid': 'sf-fallbacks' },
    el('summary', {}, `${page.fallbacks.length} fallback${page.fallbacks.length > 1 ? 's' : ''} fired`),
    el('ul', {}, page.fallbacks.map((f) => el('li', {},
      el('b', {}, f.rowId), ` served from ${f.used.join(' → ') || 'nothing'}`,
      f.failed.length ? el('span', { class: 'why' }, ` — ${f.failed.map((x) => `${x.source}: ${x.cause} (${x.message})`).join('; ')}`) : null))));
}

/** The storefront in `root`; `client()` gives the current API client, `onRented()` refreshes the rest of the console. */
export function createStorefront({ root, client, onRented }) {
  const items = itemCache(client);
  let member = null;
  let busy = false;

  function card(page, row, entry, position) {
    const item = items.get(entry.itemId);
    const rent = async (event) => {
      if (busy) return;
      busy = true;
      const button = event.currentTarget;
      button.disabled = true;
      try {
        const size = rentableSize(item, member.sizes);
        const context = { pageId: page.pageId, rowId: row.rowId, position, variant: page.variant,
          ...(page.modelVersion ? { modelVersion: page.modelVersion } : {}) };
        const r = await client().events.send([{ id: eventId(), type: 'rent', userId: member.id, itemId: entry.itemId, ...(size ? { size } : {}), context }]);
        toast(r.accepted ? `${member.id} rented ${item?.title ?? entry.itemId}${size ? ` in ${size}` : ''}` : `rejected: ${r.rejected[0]?.code}`);
        await Promise.all([show(member.id), onRented()]);
      } catch (e) { toast(describeError(e)); } finally { busy = false; button.disabled = false; }
    };
    return el('article', { class: 'sf-item', 'data-sf-item': entry.itemId, 'data-position': position },
      swatch(item),
      el('div', { class: 'body' },
        el('span', { class: 'title' }, item?.title ?? entry.itemId),
        el('span', { class: 'meta' }, [item?.brand, item?.category].filter(Boolean).join(' · ') || entry.itemId),
        entry.reason ? el('span', { class: 'reason' }, entry.reason) : null,
        el('div', { class: 'actions' },
          el('span', { class: 'score', title: 'score' }, entry.score.toFixed(2)),
          el('button', { type: 'button', class: 'rent', onclick: rent, 'aria-label': `rent ${entry.itemId}` }, 'rent'))));
  }

  function rowView(page, row) {
    return el('section', { class: 'sf-row', 'data-row': row.rowId, 'aria-label': row.title },
      el('div', { class: 'sf-row-head' }, el('h3', {}, row.title), el('span', { class: 'kind' }, row.kind)),
      row.explanation ? el('p', { class: 'explanation' }, row.explanation) : null,
      el('div', { class: 'sf-items' }, row.items.map((entry, k) => card(page, row, entry, k))));
  }

  /** Loads and draws `userId`'s page. */
  async function show(userId) {
    const pageName = $('sfPage').value.trim() || 'home';
    try {
      const [profile, page] = await Promise.all([
        client().users.get(userId).catch(() => ({ id: userId, sizes: [] })), // unknown members get a cold-start page
        client().recommendations.page(userId, { page: pageName, rows: ROWS, size: PER_ROW }),
      ]);
      member = profile;
      await items.load(page.rows.flatMap((r) => r.items.map((i) => i.itemId)));
      root.replaceChildren(
        el('div', { class: 'sf-head' }, el('h3', {}, `${userId}'s ${pageName} page`), servedLine(page), fallbackList(page)),
        ...(page.rows.length ? page.rows.map((row) => rowView(page, row)) : [el('p', { class: 'hint' }, 'This page has no rows.')]));
      root.dataset.pageId = page.pageId;
    } catch (e) {
      root.replaceChildren(el('p', { class: 'hint' }, describeError(e)));
    }
  }

  return { show, seed: items.seed };
}
