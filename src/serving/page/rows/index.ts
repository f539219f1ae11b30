/** Every row kind's source, by kind: the one place a new row kind is registered. */
import type { RowSource } from '../compose/row-source.ts';
import type { RowKind } from '../types.ts';
import { backInYourSizeRow } from './back-in-your-size.ts';
import { becauseYouLikedRow } from './because-you-liked.ts';
import { curatedRow } from './curated.ts';
import { forOccasionRow } from './for-occasion.ts';
import { forYouRow } from './for-you.ts';
import { newArrivalsRow } from './new-arrivals.ts';
import { popularInYourSizeRow } from './popular-in-your-size.ts';
import { styleRow } from './style.ts';
import { trendingRow } from './trending.ts';

export const ROW_SOURCES: Readonly<Record<RowKind, RowSource>> = {
  'for-you': forYouRow,
  'because-you-liked': becauseYouLikedRow,
  curated: curatedRow,
  style: styleRow,
  'for-occasion': forOccasionRow,
  trending: trendingRow,
  'new-arrivals': newArrivalsRow,
  'popular-in-your-size': popularInYourSizeRow,
  'back-in-your-size': backInYourSizeRow,
};
