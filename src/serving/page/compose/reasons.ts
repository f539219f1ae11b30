/** The short texts members read: row titles, explanations and the reason on each item. */

const OCCASION_PLURALS: Record<string, string> = {
  wedding: 'weddings', party: 'parties', vacation: 'vacations', date: 'dates', 'formal affair': 'formal affairs',
  'party: cocktail': 'cocktail parties', work: 'work', everyday: 'every day', other: 'all sorts of occasions',
};

/** "weddings", "parties", "formal affairs" … for an occasion label. */
export function occasionPlural(occasion: string): string {
  // own keys only: an occasion named "constructor" is its own plural, not Object
  return Object.hasOwn(OCCASION_PLURALS, occasion) ? OCCASION_PLURALS[occasion] : occasion;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "5 June" (UTC). */
export function dayAndMonth(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

export const reasons = {
  pickedForYou: 'Picked for you',
  matchesYourAnswers: 'Matches the styles you told us about',
  popularWithMembers: 'Popular with members',
  stylistPick: 'Stylist pick',
  suitsYourStyle: 'Suits your style',
  newIn: 'New in',
  newThisWeek: 'New this week',
  fromLastVisit: 'Picked for you earlier',
  popularPicks: 'Popular picks',
  becauseYouLoved: (title: string) => `Because you loved ${title}`,
  similarTo: (title: string) => `Similar to ${title}`,
  trending: (size?: string) => (size ? `Trending in your size ${size}` : 'Trending now'),
  popularInSize: (size?: string) => (size ? `Popular in your size ${size}` : 'Popular now'),
  backInSize: (size: string) => `Back in your size ${size}`,
  rentedFor: (occasion: string) => `Members rent it for ${occasionPlural(occasion)}`,
  runsTrueToSize: 'Runs true to size for you',
  mayRunSmall: 'May run small for you',
  mayRunLarge: 'May run large for you',
} as const;

export const titles = {
  forYou: 'Picked for you',
  trending: reasons.trending,
  newArrivals: 'New arrivals',
  popularInSize: reasons.popularInSize,
  backInSize: 'Back in your size',
  becauseYouLoved: reasons.becauseYouLoved,
  styles: 'Styles for you',
  upcomingOccasion: (occasion: string, date: number) => `For your ${occasion} on ${dayAndMonth(date)}`,
  usualOccasion: (occasion: string) => `For your next ${occasion}`,
} as const;
