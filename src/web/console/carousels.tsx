/**
 * Curated carousels: search items and add them, reorder by drag or by the move buttons, active dates,
 * audience; preview the re-sorting for three sample members side by side.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Carousel, CarouselInput, Item, ItemList } from '../../client/index.ts';
import { ItemCache } from './item-cache.ts';
import { moved } from './reorder.ts';
import { type Connection, describeError } from './session.ts';

interface Draft { id: string; title: string; itemIds: string[]; personalize: boolean; from: string; to: string; segments: string }

const EMPTY: Draft = { id: '', title: '', itemIds: [], personalize: true, from: '', to: '', segments: '' };
const day = (ms?: number) => (ms === undefined ? '' : new Date(ms).toISOString().slice(0, 10));

function toDraft(c: Carousel): Draft {
  return {
    id: c.id, title: c.title, itemIds: c.itemIds, personalize: c.personalize, from: day(c.activeFrom), to: day(c.activeTo),
    segments: (c.audience?.segments ?? []).join(', '),
  };
}

function toInput(d: Draft): CarouselInput {
  const segments = d.segments.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    title: d.title.trim(), itemIds: d.itemIds, personalize: d.personalize,
    ...(d.from ? { activeFrom: Date.parse(d.from) } : {}), ...(d.to ? { activeTo: Date.parse(d.to) } : {}),
    ...(segments.length ? { audience: { segments } } : {}),
  };
}

export function Carousels({ conn }: { conn: Connection }) {
  const items = useMemo(() => new ItemCache(conn.client), [conn]);
  const [list, setList] = useState<Carousel[]>([]);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [catalogue, setCatalogue] = useState<Item[]>([]);
  const [query, setQuery] = useState('');
  const [message, setMessage] = useState('');
  const [dragging, setDragging] = useState(-1);
  const [, setLoaded] = useState(0);

  const reload = () => conn.client.carousels.list().then(setList).catch((err) => setMessage(describeError(err)));
  useEffect(() => {
    void reload();
  }, []);
  // the server searches titles and ids (GET /v1/items?q=): every item of the catalogue can be found
  useEffect(() => {
    const q = query.trim();
    if (!q) { setCatalogue([]); return; }
    let current = true;
    conn.client.items.list({ q, limit: 20 }).then((p) => { if (current) setCatalogue(p.items); }).catch((err) => setMessage(describeError(err)));
    return () => { current = false; };
  }, [query]);
  useEffect(() => { void items.load(draft.itemIds).then(() => setLoaded((n) => n + 1)); }, [draft.itemIds]);

  const found = query.trim() ? catalogue.filter((i) => !draft.itemIds.includes(i.id)).slice(0, 8) : [];
  const titleOf = (id: string) => items.get(id)?.title ?? catalogue.find((i) => i.id === id)?.title ?? id;
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const move = (from: number, to: number) => set({ itemIds: moved(draft.itemIds, from, to) });

  const save = async (e: Event) => {
    e.preventDefault();
    try {
      const saved = await conn.client.carousels.put(draft.id.trim(), toInput(draft));
      setMessage(`Saved carousel ${saved.id}${saved.unservable.length ? ` — not served: ${saved.unservable.map((u) => `${u.itemId} (${u.reason})`).join(', ')}` : ''}`);
      await reload();
    } catch (err) {
      setMessage(describeError(err));
    }
  };

  return (
    <section aria-labelledby="carousels-h" class="carousels">
      <h2 id="carousels-h">Carousels</h2>
      <ul class="chips">
        {list.map((c) => <li key={c.id}><button type="button" onClick={() => setDraft(toDraft(c))}>Edit {c.title}</button></li>)}
        <li><button type="button" onClick={() => setDraft(EMPTY)}>New carousel</button></li>
      </ul>
      <form class="card" onSubmit={save} aria-label="Carousel editor">
        <div class="grid2">
          <label>Carousel id <input required value={draft.id} onInput={(e) => set({ id: e.currentTarget.value })} /></label>
          <label>Title <input required value={draft.title} onInput={(e) => set({ title: e.currentTarget.value })} /></label>
          <label>Active from <input type="date" value={draft.from} onInput={(e) => set({ from: e.currentTarget.value })} /></label>
          <label>Active to <input type="date" value={draft.to} onInput={(e) => set({ to: e.currentTarget.value })} /></label>
          <label>Audience segments <input placeholder="everyone" value={draft.segments} onInput={(e) => set({ segments: e.currentTarget.value })} /></label>
          <label class="check"><input type="checkbox" checked={draft.personalize} onChange={(e) => set({ personalize: e.currentTarget.checked })} /> Re-sort for each member</label>
        </div>
        <label>Search items <input type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} /></label>
        <ul class="found">
          {found.map((i) => <li key={i.id}><button type="button" onClick={() => { set({ itemIds: [...draft.itemIds, i.id] }); }}>Add {i.title}</button></li>)}
        </ul>
        <h3>Items, in the stylist's order</h3>
        <p class="hint">Drag to reorder, or use the move buttons.</p>
        <ol class="picked" data-testid="carousel-items">
          {draft.itemIds.map((id, k) => (
            <li key={id} draggable onDragStart={() => setDragging(k)} onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => { e.preventDefault(); move(dragging, k); setDragging(-1); }}>
              <span>{titleOf(id)}</span>
              <button type="button" aria-label={`Move ${titleOf(id)} up`} disabled={k === 0} onClick={() => move(k, k - 1)}>↑</button>
              <button type="button" aria-label={`Move ${titleOf(id)} down`} disabled={k === draft.itemIds.length - 1} onClick={() => move(k, k + 1)}>↓</button>
              <button type="button" aria-label={`Remove ${titleOf(id)}`} onClick={() => set({ itemIds: draft.itemIds.filter((x) => x !== id) })}>✕</button>
            </li>
          ))}
        </ol>
        <button type="submit" disabled={draft.itemIds.length === 0}>Save carousel</button>
        <p role="status">{message}</p>
      </form>
      {draft.itemIds.length > 0 && <Preview conn={conn} itemIds={draft.itemIds} titleOf={titleOf} />}
    </section>
  );
}

/** How the carousel is re-sorted for three sample members (POST /v1/users/{id}/rank). */
function Preview({ conn, itemIds, titleOf }: { conn: Connection; itemIds: string[]; titleOf: (id: string) => string }) {
  const [ranked, setRanked] = useState<ItemList[]>([]);
  const [error, setError] = useState('');
  const show = async () => {
    try {
      const members = (await conn.client.users.list({ limit: 3 })).users;
      setRanked(await Promise.all(members.map((m) => conn.client.recommendations.rank(m.id, itemIds))));
      setError('');
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <section aria-labelledby="preview-h">
      <h3 id="preview-h">Preview for three members</h3>
      <button type="button" onClick={show}>Show the order for three members</button>
      {error && <p role="alert" class="error">{error}</p>}
      <div class="side-by-side">
        {ranked.map((r) => (
          <div key={r.userId} class="card">
            <h4>{r.userId}</h4>
            <ol>{r.items.map((i) => <li key={i.itemId}>{titleOf(i.itemId)}</li>)}</ol>
          </div>
        ))}
      </div>
    </section>
  );
}
