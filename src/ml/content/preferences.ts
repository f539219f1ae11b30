/**
 * A cold member's profile from onboarding answers: each style, occasion or avoided word is matched
 * against the vocabulary's tags, attributes, categories and brands ("boho" ↔ tag "boho florals",
 * "minimal tailoring" ↔ tag "tailored"), liked words pulling the profile towards items that carry
 * them and avoided ones pushing away.
 */
import { VitrineError } from '../../core/errors.ts';
import type { UserPreferences } from '../../core/types.ts';
import { normalise, type ContentModel } from './content-model.ts';
import { tokenText } from './item-tokens.ts';

// an avoided word outweighs a liked word on the same item: "black, but no sequins" ranks a black
// sequin gown below a plain black jumpsuit
const AVOID_WEIGHT = 3;

/** Lower-case words with a light suffix stemming ("tailoring", "tailored" → "tailor"; "dresses" → "dress"). */
export function stemmedWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map(stem);
}

function stem(word: string): string {
  let w = word;
  for (;;) {
    const next = w.endsWith('ing') ? w.slice(0, -3)
      : w.endsWith('ed') ? w.slice(0, -2)
        : w.endsWith('es') && /(ss|sh|ch|x)es$/.test(w) ? w.slice(0, -2)
          : w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1)
            : w;
    if (next === w || next.length < 3) return w;
    w = next;
  }
}

/** True when every word of the shorter phrase is among the longer phrase's words. */
export function phrasesMatch(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const [small, large] = a.length <= b.length ? [a, b] : [b, a];
  const set = new Set(large);
  return small.every((w) => set.has(w));
}

/**
 * A unit profile vector for `model.recommend({vector}, …)` from onboarding preferences; throws
 * VITRINE_MODEL_UNKNOWN_USER when no preference matches anything in the catalogue's vocabulary.
 */
export function profileFromPreferences(prefs: UserPreferences, model: ContentModel): Float32Array {
  const { vocab, idf, dim } = model.space;
  const tokenWords = vocab.map((t) => stemmedWords(tokenText(t)));
  const profile = new Float32Array(dim);
  let matched = 0;
  const apply = (phrases: readonly string[] | undefined, sign: number): void => {
    for (const phrase of phrases ?? []) {
      const words = stemmedWords(phrase);
      for (let k = 0; k < vocab.length; k++) {
        if (!phrasesMatch(words, tokenWords[k])) continue;
        profile[k] += sign * idf[k];
        matched++;
      }
    }
  };
  apply(prefs.styles, 1);
  apply(prefs.occasions, 1);
  apply(prefs.avoid, -AVOID_WEIGHT);
  if (matched === 0) {
    throw new VitrineError('VITRINE_MODEL_UNKNOWN_USER', 'content: none of the preferences matches a tag, attribute, category or brand of the catalogue');
  }
  return normalise(profile);
}
