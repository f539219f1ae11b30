/** Page templates: row kinds, titles, order, and whether the order is fixed or learned by the bandit. */
import { useEffect, useState } from 'preact/hooks';
import type { PageTemplate, PageTemplateInput } from '../../client/index.ts';
import { moved } from './reorder.ts';
import { type Connection, describeError } from './session.ts';

const KINDS = ['for-you', 'because-you-liked', 'curated', 'style', 'for-occasion', 'trending', 'new-arrivals', 'popular-in-your-size', 'back-in-your-size'];

type Row = PageTemplateInput['rows'][number];

export function Templates({ conn }: { conn: Connection }) {
  const [pages, setPages] = useState<PageTemplate[]>([]);
  const [name, setName] = useState('home');
  const [rows, setRows] = useState<Row[]>([]);
  const [fixed, setFixed] = useState(false);
  const [message, setMessage] = useState('');

  const load = async (pick?: string) => {
    try {
      const list = await conn.client.pages.list();
      setPages(list);
      const t = list.find((p) => p.name === (pick ?? name)) ?? list[0];
      if (t) { setName(t.name); setRows(t.rows); setFixed(t.rowOrder === 'fixed'); }
    } catch (err) {
      setMessage(describeError(err));
    }
  };
  useEffect(() => { void load(); }, []);

  const setRow = (k: number, patch: Partial<Row>) => setRows(rows.map((r, i) => (i === k ? { ...r, ...patch } : r)));
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      const clean = rows.map((r) => ({
        kind: r.kind, ...(r.title ? { title: r.title } : {}), ...(r.kind === 'curated' && r.carouselId ? { carouselId: r.carouselId } : {}),
        ...(r.size ? { size: r.size } : {}),
      }));
      const saved = await conn.client.pages.put(name, { rows: clean, rowOrder: fixed ? 'fixed' : 'bandit' });
      setMessage(`Saved template ${saved.name}${saved.warnings?.length ? ` — ${saved.warnings.join('; ')}` : ''}`);
      await load(name);
    } catch (err) {
      setMessage(describeError(err));
    }
  };

  return (
    <section aria-labelledby="templates-h">
      <h2 id="templates-h">Page templates</h2>
      <form class="card" onSubmit={save} aria-label="Template editor">
        <label>Template <select value={name} onChange={(e) => void load(e.currentTarget.value)}>
          {pages.map((p) => <option key={p.name} value={p.name}>{p.name} ({p.source})</option>)}
        </select></label>
        <fieldset>
          <legend>Row order</legend>
          <label class="check"><input type="radio" name="row-order" checked={!fixed} onChange={() => setFixed(false)} /> Learned (each segment's engagement)</label>
          <label class="check"><input type="radio" name="row-order" checked={fixed} onChange={() => setFixed(true)} /> Fixed (this order)</label>
        </fieldset>
        <ol class="template-rows">
          {rows.map((r, k) => (
            <li key={k}>
              <label>Kind <select value={r.kind} onChange={(e) => setRow(k, { kind: e.currentTarget.value })}>
                {KINDS.map((kind) => <option key={kind} value={kind}>{kind}</option>)}
              </select></label>
              <label>Title <input value={r.title ?? ''} placeholder="(default)" onInput={(e) => setRow(k, { title: e.currentTarget.value })} /></label>
              {r.kind === 'curated' && <label>Carousel <input value={r.carouselId ?? ''} placeholder="every active one" onInput={(e) => setRow(k, { carouselId: e.currentTarget.value })} /></label>}
              <button type="button" aria-label={`Move row ${k + 1} (${r.kind}) up`} disabled={k === 0} onClick={() => setRows(moved(rows, k, k - 1))}>↑</button>
              <button type="button" aria-label={`Move row ${k + 1} (${r.kind}) down`} disabled={k === rows.length - 1} onClick={() => setRows(moved(rows, k, k + 1))}>↓</button>
              <button type="button" aria-label={`Remove row ${k + 1} (${r.kind})`} onClick={() => setRows(rows.filter((_, i) => i !== k))}>✕</button>
            </li>
          ))}
        </ol>
        <button type="button" onClick={() => setRows([...rows, { kind: 'trending' }])}>Add a row</button>{' '}
        <button type="submit" disabled={rows.length === 0}>Save template</button>
        <p role="status">{message}</p>
      </form>
    </section>
  );
}
