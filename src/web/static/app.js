// Vitrine console: talks to the engine over its HTTP API only.
const $ = (id) => document.getElementById(id);
const state = { member: null, itemsAfter: null, membersAfter: null, seq: 0 };
const COLOURS = { black: '#222', white: '#e6e1d8', ivory: '#d8cfbd', cream: '#d9ccb0', oatmeal: '#c2b49a', camel: '#b08a5a',
  navy: '#1f2f57', cobalt: '#2747a8', 'sky blue': '#7fb0dd', 'dusty blue': '#7d93ad', turquoise: '#2aa5a0',
  red: '#b3263a', burgundy: '#6d1f2e', coral: '#e0735f', fuchsia: '#c2307e', blush: '#d9a3a0', lavender: '#a99bc9',
  emerald: '#1f7a5c', 'forest green': '#2f5a3a', sage: '#98a98a', olive: '#6b6b3a', mustard: '#c9a233', yellow: '#e0c040',
  orange: '#d0723a', rust: '#a4502a', terracotta: '#b8643e', gold: '#b8923a', champagne: '#d6c29a', silver: '#a3a8ad',
  grey: '#808080', charcoal: '#3f4245', multi: 'linear-gradient(135deg,#c2307e,#e0c040,#2aa5a0)' };

async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  const key = $('apiKey').value.trim();
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error ? `${json.error.code}: ${json.error.message}` : `HTTP ${res.status}`);
  return json;
}

function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 2500);
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'onclick') node.addEventListener('click', v);
    else if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

async function loadStats() {
  const s = await api('GET', '/v1/stats');
  $('stats').replaceChildren(...['items', 'users', 'events'].map((k) => el('span', {}, el('b', {}, s[k].toLocaleString()), ` ${k === 'users' ? 'members' : k}`)));
}

async function loadMembers(reset) {
  if (reset) { state.membersAfter = null; $('memberList').replaceChildren(); }
  const q = new URLSearchParams({ limit: '40' });
  if (state.membersAfter) q.set('after', state.membersAfter);
  const page = await api('GET', `/v1/users?${q}`);
  for (const u of page.users) {
    $('memberList').append(el('li', {}, el('button', { type: 'button', 'data-id': u.id, onclick: () => selectMember(u.id) }, u.id)));
  }
  state.membersAfter = page.next;
  $('moreMembers').hidden = !page.next;
}

async function selectMember(id) {
  state.member = id;
  for (const b of document.querySelectorAll('#memberList button')) b.setAttribute('aria-current', String(b.dataset.id === id));
  await renderMember();
}

async function renderMember() {
  const id = state.member;
  if (!id) return;
  let m;
  try { m = await api('GET', `/v1/users/${encodeURIComponent(id)}`); } catch (e) { toast(e.message); return; }
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
  const ev = await api('GET', `/v1/users/${encodeURIComponent(id)}/events?limit=25`);
  $('eventList').replaceChildren(...ev.events.map((e) => el('li', {},
    `${new Date(e.ts).toISOString().slice(0, 16).replace('T', ' ')} ${e.type} ${e.itemId ?? ''}${e.size ? ` size ${e.size}` : ''}${e.fit ? ` (${e.fit})` : ''}`)));
}

function itemCard(item) {
  const colour = String(item.attributes.colour ?? item.attributes.color ?? '').toLowerCase();
  const swatch = el('div', { class: 'swatch', style: `background:${COLOURS[colour] ?? '#9c8f80'}` }, `${colour || item.category}`);
  const sizes = el('div', { class: 'sizes' }, Object.entries(item.sizes).map(([s, n]) => el('span', { class: n > 0 ? 'size' : 'size out', title: `${n} available` }, s)));
  const send = (type) => async () => {
    if (!state.member) { toast('pick a member first'); return; }
    const size = type === 'rent' ? Object.entries(item.sizes).find(([, n]) => n > 0)?.[0] : undefined;
    const event = { id: `ui-${Date.now()}-${state.seq++}`, type, userId: state.member, itemId: item.id, ...(size ? { size } : {}) };
    try {
      const r = await api('POST', '/v1/events', { events: [event] });
      toast(r.accepted ? `${type} recorded for ${state.member}` : `rejected: ${r.rejected[0]?.code}`);
      await Promise.all([renderMember(), loadStats()]);
    } catch (e) { toast(e.message); }
  };
  return el('article', { class: 'item', 'data-item': item.id }, swatch, el('div', { class: 'body' },
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
  const q = new URLSearchParams({ limit: '48' });
  if (state.itemsAfter) q.set('after', state.itemsAfter);
  const page = await api('GET', `/v1/items?${q}`);
  $('itemGrid').append(...page.items.filter((i) => !i.placeholder && !i.retired).map(itemCard));
  state.itemsAfter = page.next;
  $('moreItems').hidden = !page.next;
}

$('moreMembers').addEventListener('click', () => loadMembers(false));
$('moreItems').addEventListener('click', () => loadItems(false));
$('memberSearch').addEventListener('change', (e) => { if (e.target.value.trim()) selectMember(e.target.value.trim()); });
$('apiKey').addEventListener('change', () => boot());

async function boot() {
  try {
    await Promise.all([loadStats(), loadMembers(true), loadItems(true)]);
  } catch (e) { toast(e.message); }
}
boot();
