// Vitrine console: talks to the engine over its HTTP API only, through the typed client (src/client).
import { VitrineClient } from '/ui/vitrine-client.js';
import { $, describeError, el, eventId, rentableSize, swatch, toast } from './dom.js';
import { createStorefront } from './storefront.js';

const state = { member: null, memberSizes: [], itemsAfter: null, membersAfter: null, tab: 'catalogue' };
let vitrine = new VitrineClient({ apiKey: $('apiKey').value.trim() || undefined });
const storefront = createStorefront({ root: $('storefrontRows'), client: () => vitrine, onRented: () => Promise.all([renderMember(), loadStats()]) });

async function loadStats() {
  const s = await vitrine.ops.stats();
  $('stats').replaceChildren(...['items', 'users', 'events'].map((k) => el('span', {}, el('b', {}, s[k].toLocaleString()), ` ${k === 'users' ? 'members' : k}`)));
}

async function loadMembers(reset) {
  if (reset) { state.membersAfter = null; $('memberList').replaceChildren(); }
  const page = await vitrine.users.list({ limit: 40, after: state.membersAfter ?? undefined });
  for (const u of page.users) {
    $('memberList').append(el('li', {}, el('button', { type: 'button', 'data-id': u.id, onclick: () => selectMember(u.id) }, u.id)));
  }
  state.membersAfter = page.next;
  $('moreMembers').hidden = !page.next;
}

async function selectMember(id) {
  state.member = id;
  for (const b of document.querySelectorAll('#memberList button')) b.setAttribute('aria-current', String(b.dataset.id === id));
  await Promise.all([renderMember(), state.tab === 'storefront' ? storefront.show(id) : null]);
}

async function renderMember() {
  const id = state.member;
  if (!id) return;
  let m;
  try { m = await vitrine.users.get(id); } catch (e) { toast(describeError(e)); return; }
  state.memberSizes = m.sizes;
  const sizes = Object.entries(m.sizeProfile).map(([size, p]) => `${size}: ${p.rents} rented (${p.small} small / ${p.fit} fit / ${p.large} large)`);
  $('memberCard').replaceChildren(el('dl', {},
    el('dt', {}, 'id'), el('dd', { 'data-testid': 'member-id' }, m.id),
    el('dt', {}, 'sizes'), el('dd', {}, m.sizes.join(', ') || '—'),
    el('dt', {}, 'styles'), el('dd', {}, (m.preferences.styles ?? []).map((s) => el('span', { class: 'tag' }, s))),
    el('dt', {}, 'occasions'), el('dd', {}, (m.preferences.occasions ?? []).map((s) => el('span', { class: 'tag' }, s))),
    el('dt', {}, 'events'), el('dd', { 'data-testid': 'member-events' }, `${m.stats.events} (${m.stats.rents} rents, ${m.stats.hearts} hearts)`),
    el('dt', {}, 'holds now'), el('dd', { 'data-testid': 'member-held' }, m.held.join(', ') || 'nothing'),
    el('dt', {}, 'size profile'), el('dd', {}, sizes.length ? sizes.map((s) => el('div', {}, s)) : '—'),
  ));
  // the member's own actions (the list leaves impressions out unless asked for them)
  const events = await vitrine.users.events(id, { limit: 25 });
  $('eventList').replaceChildren(...events.map((e) => el('li', {},
    `${new Date(e.ts).toISOString().slice(0, 16).replace('T', ' ')} ${e.type} ${e.itemId ?? ''}${e.size ? ` size ${e.size}` : ''}${e.fit ? ` (${e.fit})` : ''}`)));
}

function itemCard(item) {
  const sizes = el('div', { class: 'sizes' }, Object.entries(item.sizes).map(([s, n]) => el('span', { class: n > 0 ? 'size' : 'size out', title: `${n} available` }, s)));
  const send = (type) => async () => {
    if (!state.member) { toast('pick a member first'); return; }
    const size = type === 'rent' ? rentableSize(item, state.memberSizes) : undefined;
    const event = { id: eventId(), type, userId: state.member, itemId: item.id, ...(size ? { size } : {}) };
    try {
      const r = await vitrine.events.send([event]);
      toast(r.accepted ? `${type} recorded for ${state.member}` : `rejected: ${r.rejected[0]?.code}`);
      await Promise.all([renderMember(), loadStats()]);
    } catch (e) { toast(describeError(e)); }
  };
  return el('article', { class: 'item', 'data-item': item.id }, swatch(item), el('div', { class: 'body' },
    el('span', { class: 'title' }, item.title),
    el('span', { class: 'meta' }, [item.brand, item.category, item.price !== undefined ? `$${item.price}` : null].filter(Boolean).join(' · ')),
    sizes,
    el('div', { class: 'actions' },
      el('button', { type: 'button', onclick: send('heart') }, '♥'),
      el('button', { type: 'button', class: 'rent', onclick: send('rent') }, 'rent'),
      el('button', { type: 'button', onclick: send('return') }, 'return'))));
}

async function loadItems(reset) {
  if (reset) { state.itemsAfter = null; $('itemGrid').replaceChildren(); }
  const page = await vitrine.items.list({ limit: 48, after: state.itemsAfter ?? undefined });
  storefront.seed(page.items);
  $('itemGrid').append(...page.items.filter((i) => !i.placeholder && !i.retired).map(itemCard));
  state.itemsAfter = page.next;
  $('moreItems').hidden = !page.next;
}

/** Shows the storefront or the catalogue panel; the storefront loads the picked member's page. */
function showTab(tab) {
  state.tab = tab;
  for (const b of document.querySelectorAll('[role="tab"]')) b.setAttribute('aria-selected', String(b.dataset.tab === tab));
  $('catalogue').hidden = tab !== 'catalogue';
  $('storefront').hidden = tab !== 'storefront';
  if (tab === 'storefront' && state.member) storefront.show(state.member);
}

for (const b of document.querySelectorAll('[role="tab"]')) b.addEventListener('click', () => showTab(b.dataset.tab));
$('sfReload').addEventListener('click', () => { if (state.member) storefront.show(state.member); else toast('pick a member first'); });
$('sfPage').addEventListener('change', () => { if (state.member) storefront.show(state.member); });
$('moreMembers').addEventListener('click', () => loadMembers(false));
$('moreItems').addEventListener('click', () => loadItems(false));
$('memberSearch').addEventListener('change', (e) => { if (e.target.value.trim()) selectMember(e.target.value.trim()); });
$('apiKey').addEventListener('change', () => {
  vitrine = new VitrineClient({ apiKey: $('apiKey').value.trim() || undefined });
  boot();
});

async function boot() {
  try {
    await Promise.all([loadStats(), loadMembers(true), loadItems(true)]);
  } catch (e) { toast(describeError(e)); }
}
boot();
