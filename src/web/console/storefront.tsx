/**
 * Storefront preview: pick or onboard a member, see their page as they would (rows, reasons, how it
 * was served), act on any item, and the page is asked for again at once.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Member, Page } from '../../client/index.ts';
import { type Action, rentableSize, sendAction } from './actions.ts';
import { History } from './history.tsx';
import { ItemCache } from './item-cache.ts';
import { ItemCard } from './item-card.tsx';
import { MemberPicker, Onboarding } from './members.tsx';
import { can, type Connection, describeError } from './session.ts';

const ROWS = 10;
const PER_ROW = 8;

/** `userId` lives in the app, so that the member stays picked while other screens are visited. */
export function Storefront({ conn, userId, onPick }: { conn: Connection; userId?: string; onPick: (id: string) => void }) {
  const [version, setVersion] = useState(0);
  const pick = (id: string) => { onPick(id); setVersion((v) => v + 1); };
  return (
    <div class="storefront">
      <div class="sf-main">
        {userId ? <MemberPage conn={conn} userId={userId} version={version} onChanged={() => setVersion((v) => v + 1)} />
          : <p class="hint">Pick a member, or create one, to see the page Vitrine serves them.</p>}
      </div>
      <aside class="sf-side" aria-label="Members">
        <details open={innerWidth > 700}>
          <summary>Members</summary>
          <MemberPicker conn={conn} selected={userId} onPick={pick} />
          {can(conn.session, 'write') && <Onboarding conn={conn} onCreated={pick} />}
        </details>
      </aside>
    </div>
  );
}

function MemberPage({ conn, userId, version, onChanged }: { conn: Connection; userId: string; version: number; onChanged: () => void }) {
  const items = useMemo(() => new ItemCache(conn.client), [conn]);
  const [page, setPage] = useState<Page>();
  const [member, setMember] = useState<Member>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const writes = can(conn.session, 'write');

  useEffect(() => {
    let live = true;
    (async () => {
      const [p, m] = await Promise.all([
        conn.client.recommendations.page(userId, { rows: ROWS, size: PER_ROW }),
        conn.client.users.get(userId).catch(() => undefined),
      ]);
      await items.load([...p.rows.flatMap((r) => r.items.map((i) => i.itemId)), ...(m?.held ?? [])]);
      if (!live) return;
      setPage(p); setMember(m); setError('');
    })().catch((err) => live && setError(describeError(err)));
    return () => { live = false; };
  }, [userId, version]);

  const act = async (action: Action, itemId: string, origin?: Parameters<typeof sendAction>[2]) => {
    setBusy(true);
    try {
      const item = items.get(itemId);
      const size = action === 'rent' ? rentableSize(item, member?.sizes ?? []) : undefined;
      await sendAction(conn.client, { type: action, userId, itemId, ...(size ? { size } : {}) }, origin);
      setStatus(`${userId}: ${action} ${item?.title ?? itemId}${size ? ` in size ${size}` : ''}`);
      onChanged();
    } catch (err) {
      setStatus(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  const giveBack = async (itemId: string, fit: string) => {
    setBusy(true);
    try {
      await sendAction(conn.client, { type: 'return', userId, itemId, ...(fit ? { fit: fit as 'small' | 'fit' | 'large' } : {}) });
      setStatus(`${userId} returned ${items.get(itemId)?.title ?? itemId}`);
      onChanged();
    } catch (err) {
      setStatus(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h2>{userId}'s page</h2>
      <p role="status" class="status">{status}</p>
      {error && <p role="alert" class="error">{error}</p>}
      {page && (
        <p class="served">
          <span>variant <b data-testid="variant">{page.variant}</b></span>{' '}
          <span>model <b data-testid="model-version">{page.modelVersion ?? 'none'}</b></span>{' '}
          <span>took <b>{page.tookMs} ms</b></span>{' '}
          <span>{page.fallbacks.length ? `${page.fallbacks.length} fallback(s)` : 'no fallbacks'}</span>
        </p>
      )}
      <div class="rows" data-page-id={page?.pageId}>
        {page?.rows.map((row) => (
          <section class="row" key={row.rowId} data-row={row.rowId} data-kind={row.kind} aria-label={row.title}>
            <h3>{row.title}</h3>
            {row.explanation && <p class="explanation">{row.explanation}</p>}
            <ul class="row-items">
              {row.items.map((entry, position) => (
                <ItemCard key={entry.itemId} itemId={entry.itemId} item={items.get(entry.itemId)} reason={entry.reason} busy={busy}
                  {...(writes ? { onAction: (a: Action) => act(a, entry.itemId, { page, row, position }) } : {})} />
              ))}
            </ul>
          </section>
        ))}
        {page && page.rows.length === 0 && <p class="hint">This page has no rows.</p>}
      </div>
      {member && (
        <section class="held" aria-labelledby="held-h">
          <h3 id="held-h">Holding</h3>
          <ul data-testid="held">
            {member.held.map((id) => <Held key={id} title={items.get(id)?.title ?? id} writes={writes} busy={busy} onReturn={(fit) => giveBack(id, fit)} />)}
            {member.held.length === 0 && <li class="hint">nothing</li>}
          </ul>
        </section>
      )}
      <History conn={conn} userId={userId} version={version} />
    </>
  );
}

function Held({ title, writes, busy, onReturn }: { title: string; writes: boolean; busy: boolean; onReturn: (fit: string) => void }) {
  const [fit, setFit] = useState('fit');
  return (
    <li>
      {title}
      {writes && (
        <>
          {' '}<label>fit <select value={fit} onChange={(e) => setFit(e.currentTarget.value)}>
            <option value="small">too small</option><option value="fit">fit</option><option value="large">too large</option>
          </select></label>{' '}
          <button type="button" disabled={busy} aria-label={`Return ${title}`} onClick={() => onReturn(fit)}>Return</button>
        </>
      )}
    </li>
  );
}
