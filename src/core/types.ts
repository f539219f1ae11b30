/** The domain types shared by every layer: catalogue items, members, events. */

export const EVENT_TYPES = [
  'impression', 'view', 'click', 'heart', 'unheart', 'shortlist', 'rent', 'return', 'purchase', 'review', 'dismiss',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const FIT_VALUES = ['small', 'fit', 'large'] as const;
export type Fit = (typeof FIT_VALUES)[number];

/** Event types that are about one item and so need an itemId. */
export const ITEM_EVENT_TYPES: ReadonlySet<EventType> = new Set([
  'view', 'click', 'heart', 'unheart', 'shortlist', 'rent', 'return', 'purchase', 'review', 'dismiss',
]);

export type AttributeValue = string | number | boolean;

/** A catalogue item as the API accepts it (id separate). */
export interface ItemInput {
  title: string;
  category: string;
  brand?: string;
  tags?: string[];
  attributes?: Record<string, AttributeValue>;
  price?: number;
  imageUrl?: string;
  embedding?: number[];
  /** size label → units available now */
  sizes?: Record<string, number>;
  /** epoch ms; the item is not recommended before */
  availableFrom?: number;
  retired?: boolean;
}

/** A stored catalogue item. */
export interface Item extends ItemInput {
  id: string;
  tags: string[];
  attributes: Record<string, AttributeValue>;
  sizes: Record<string, number>;
  retired: boolean;
  /** true when the item was first seen in an event and never catalogued */
  placeholder: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface UpcomingOccasion {
  occasion: string;
  /** epoch ms */
  date: number;
}

export interface UserPreferences {
  styles?: string[];
  occasions?: string[];
  avoid?: string[];
}

/** A member profile as the API accepts it (onboarding answers). */
export interface UserInput {
  sizes?: string[];
  attributes?: Record<string, AttributeValue>;
  preferences?: UserPreferences;
  upcoming?: UpcomingOccasion[];
}

export interface User {
  id: string;
  sizes: string[];
  attributes: Record<string, AttributeValue>;
  preferences: UserPreferences;
  upcoming: UpcomingOccasion[];
  createdAt: number;
  updatedAt: number;
}

export interface EventContext {
  pageId?: string;
  rowId?: string;
  position?: number;
  variant?: string;
  modelVersion?: string;
}

/** An event after validation: timestamps normalised to epoch ms. */
export interface VitrineEvent {
  id: string;
  type: EventType;
  userId: string;
  itemId?: string;
  ts: number;
  size?: string;
  fit?: Fit;
  rating?: number;
  value?: number;
  /** what the member rented for (a wedding, a vacation…); RTR's `rented_for` */
  occasion?: string;
  context?: EventContext;
}

/** A stored event: the store's sequence number gives the order of arrival. */
export interface StoredEvent extends VitrineEvent {
  seq: number;
}

/** What online counts (trending, occasions) read of a stored event: a start-up scan reads millions. */
export type EventSignal = Pick<StoredEvent, 'seq' | 'id' | 'type' | 'itemId' | 'ts' | 'size' | 'occasion'>;

/** Per-size rental and fit-feedback counts, derived from a member's events. */
export interface SizeProfileEntry {
  rents: number;
  small: number;
  fit: number;
  large: number;
}

export interface UserStats {
  events: number;
  rents: number;
  hearts: number;
  lastEventAt: number | null;
}
