/** One item of a page: its picture, title, reason, and the member's actions on it. */
import type { Item } from '../../client/index.ts';
import type { Action } from './actions.ts';
import { itemPicture } from './item-image.ts';

export interface ItemCardProps {
  itemId: string;
  item: Item | undefined;
  reason?: string;
  /** absent when the key cannot write events */
  onAction?: (action: Action) => void;
  busy?: boolean;
}

export function ItemCard({ itemId, item, reason, onAction, busy }: ItemCardProps) {
  const title = item?.title ?? itemId;
  const picture = item ? itemPicture(item) : undefined;
  return (
    <li class="card item" data-item={itemId}>
      {picture ? <img src={picture.src} alt={picture.alt} width={100} height={140} loading="lazy" /> : <div class="img-missing" aria-hidden="true" />}
      <p class="title">{title}</p>
      {item?.brand && <p class="brand">{item.brand}</p>}
      {reason && <p class="reason">{reason}</p>}
      {onAction && (
        <div class="actions">
          <button type="button" class="heart" aria-label={`Love ${title}`} title="Love" disabled={busy} onClick={() => onAction('heart')}>♥</button>
          <button type="button" aria-label={`Rent ${title}`} disabled={busy} onClick={() => onAction('rent')}>Rent</button>
          <button type="button" aria-label={`Dismiss ${title}`} disabled={busy} onClick={() => onAction('dismiss')}>Dismiss</button>
        </div>
      )}
    </li>
  );
}
