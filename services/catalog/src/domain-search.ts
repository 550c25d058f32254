import { minorDigits } from '@storefront/contracts';
import { BadRequest } from '@storefront/kit';

/** Pure parts of search: query words, spelling correction, tsquery text, cursors, price buckets. */

export const SORTS = ['relevance', 'price_asc', 'price_desc', 'newest', 'rating'] as const;
export type Sort = (typeof SORTS)[number];

/** The rating facet's levels, highest first: "4 stars & up" … "1 star & up" (average ≥ level). */
export const RATING_LEVELS = [4, 3, 2, 1] as const;

export interface SearchParams {
  readonly q: string;
  /** Category slug; matches the whole subtree. */
  readonly category: string | null;
  /** Brand slugs, any of. */
  readonly brands: readonly string[];
  readonly currency: string;
  readonly minPrice: number | null;
  /** Inclusive. */
  readonly maxPrice: number | null;
  /** key → any of these values (lower case); keys are ANDed. */
  readonly attrs: Readonly<Record<string, readonly string[]>>;
  /** true: only products in stock; false: only sold-out ones; null: both. */
  readonly inStock: boolean | null;
  /** Only products whose average rating is at least this (one of RATING_LEVELS); null: any. */
  readonly minRating: number | null;
  readonly sort: Sort;
  readonly cursor: string | null;
  readonly limit: number;
}

const MAX_WORDS = 8;

/**
 * Query text → lower-case words of letters and digits. One-letter words carry no meaning in a
 * search, but in a search box the last one is the start of the next word (`keepLast`).
 */
export function tokenize(q: string, opts: { keepLast?: boolean } = {}): string[] {
  const words = q
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u);
  const typing = opts.keepLast && words.length > 0 && words[words.length - 1] !== '';
  return words
    .filter((t, i) => t.length >= 2 || /^\d$/.test(t) || (typing && i === words.length - 1 && t.length > 0))
    .slice(opts.keepLast ? -MAX_WORDS : 0, opts.keepLast ? undefined : MAX_WORDS)
    .map((t) => t.slice(0, 40));
}

/**
 * A crude phonetic key (in the spirit of Metaphone): spellings that sound alike share a key, so
 * "fone" meets "phone" and "andriod" meets "android" even where trigram similarity is weak.
 * Keeps the first letter (vowels as 'a'), folds sound-alike letter groups, drops later vowels and
 * collapses doubles.
 */
export function soundKey(word: string): string {
  let w = word
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  if (!w) return '';
  w = w.replace(/^(kn|gn|pn|wr|ps)/, (m) => m.slice(1));
  // Order matters: 'sch' before 'sh', 'ph' before 'h' disappears; X marks the 'sh' sound.
  const folds: [RegExp, string][] = [
    [/sch/g, 'sk'],
    [/ph/g, 'f'],
    [/(sh|ch)/g, 'X'],
    [/gh/g, ''],
    [/wh/g, 'w'],
    [/ck/g, 'k'],
    [/c(?=[eiy])/g, 's'],
    [/[cq]/g, 'k'],
    [/x/g, 'ks'],
    [/z/g, 's'],
    [/v/g, 'f'],
  ];
  for (const [re, to] of folds) w = w.replace(re, to);
  const first = /[aeiouy]/.test(w[0] ?? '') ? 'a' : (w[0] ?? '');
  const rest = w.slice(1).replace(/[aeiouyhw]/g, '');
  return (first + rest).replace(/(.)\1+/g, '$1');
}

export interface TermCandidate {
  readonly term: string;
  /** pg_trgm similarity to the typed word, 0..1. */
  readonly similarity: number;
  readonly sameSound: boolean;
  /** How many published products use the term. */
  readonly docCount: number;
}

/**
 * Picks the dictionary word a misspelt word most likely meant, or null. Trigram similarity does
 * most of the work; a shared sound key admits weaker matches ("fone"/"phone" is only 0.22); how
 * common a term is breaks near-ties, the way a spelling corrector prefers frequent words.
 */
export function chooseCorrection(word: string, candidates: readonly TermCandidate[]): string | null {
  if (word.length < 3 || /\d/.test(word)) return null;
  const maxDocs = Math.max(1, ...candidates.map((c) => c.docCount));
  let best: { term: string; score: number } | null = null;
  for (const c of candidates) {
    if (c.term === word) return null;
    if (!(c.similarity >= 0.3 || (c.sameSound && c.similarity >= 0.1))) continue;
    const score = c.similarity + (c.sameSound ? 0.3 : 0) + (0.15 * Math.log1p(c.docCount)) / Math.log1p(maxDocs);
    if (!best || score > best.score || (score === best.score && c.term < best.term)) best = { term: c.term, score };
  }
  return best?.term ?? null;
}

export interface WordPlan {
  readonly word: string;
  /** The last word is matched as a prefix, for search-as-you-type. */
  readonly prefix: boolean;
  readonly correction: string | null;
}

/**
 * The tsquery text: every word must match (AND), each either as typed or as corrected (OR).
 * Words are letters and digits only (tokenize), so the text cannot carry tsquery operators.
 */
export function tsqueryText(words: readonly WordPlan[]): string | null {
  if (words.length === 0) return null;
  return words
    .map((w) => {
      const typed = w.prefix ? `${w.word}:*` : w.word;
      return w.correction ? `(${typed} | ${w.correction})` : typed;
    })
    .join(' & ');
}

/** Like tsqueryText, but any word may match: the fallback when the AND query finds nothing. */
export function tsqueryTextAny(words: readonly WordPlan[]): string | null {
  if (words.length === 0) return null;
  return words.flatMap((w) => [w.prefix ? `${w.word}:*` : w.word, ...(w.correction ? [w.correction] : [])]).join(' | ');
}

/** What to show as "results for …" when some word was corrected. */
export function correctedQuery(words: readonly WordPlan[]): string | null {
  if (!words.some((w) => w.correction)) return null;
  return words.map((w) => w.correction ?? w.word).join(' ');
}

/** The sort actually applied: relevance needs words to rank by; without them newest comes first. */
export function effectiveSort(sort: Sort, hasText: boolean): Exclude<Sort, 'relevance'> | 'rank' {
  if (sort === 'relevance') return hasText ? 'rank' : 'newest';
  return sort;
}

export type EffectiveSort = ReturnType<typeof effectiveSort>;

/**
 * The rating sort's key: the average exactly as search_doc stores it (numeric, as text, so it
 * survives JSON unrounded) and the review count.
 */
export type RatingKey = readonly [average: string, count: number];

export interface Cursor {
  readonly sort: EffectiveSort;
  /**
   * The sort key of the last row: rank, price (null = no price), created microseconds, or for
   * "rating" the average and review count.
   */
  readonly key: number | null | RatingKey;
  readonly id: string;
}

const AVERAGE_TEXT = /^\d(\.\d{1,40})?$/;
const isRatingKey = (k: unknown): k is RatingKey =>
  Array.isArray(k) &&
  k.length === 2 &&
  typeof k[0] === 'string' &&
  AVERAGE_TEXT.test(k[0]) &&
  Number.isSafeInteger(k[1]) &&
  k[1] >= 0 &&
  k[1] <= 2_147_483_647;

/** float4's smallest subnormal: Postgres reads down to it and refuses anything smaller but zero. */
const FLOAT4_MIN = 1.401298464324817e-45;
const FLOAT4_MAX = 3.4028234663852886e38;
const isFloat4 = (n: number) => n === 0 || (Math.abs(n) >= FLOAT4_MIN && Math.abs(n) <= FLOAT4_MAX);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque to clients: base64url of [sort, key, id]. */
export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.key, c.id])).toString('base64url');
}

export function decodeCursor(text: string, sort: EffectiveSort): Cursor {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequest('cursor is not one this service issued');
  }
  if (!Array.isArray(raw) || raw.length !== 3) throw new BadRequest('cursor is not one this service issued');
  const [s, key, id] = raw as unknown[];
  if (s !== sort) throw new BadRequest('cursor belongs to another sort order; start again without it');
  const keyOk =
    sort === 'rating'
      ? isRatingKey(key)
      : key === null
        ? sort === 'price_asc' || sort === 'price_desc'
        : Number.isFinite(key);
  if (!keyOk || typeof id !== 'string' || !UUID.test(id)) {
    throw new BadRequest('cursor is not one this service issued');
  }
  // Keys as Postgres will read them: prices and creation times are bigints, ranks are reals (a
  // number outside float4's range is no rank we issued).
  const keyFits =
    key === null || sort === 'rating' || (sort === 'rank' ? isFloat4(key as number) : Number.isSafeInteger(key));
  if (!keyFits) throw new BadRequest('cursor is not one this service issued');
  return { sort, key: key as Cursor['key'], id };
}

/** Price bucket bounds in major units; scaled to the currency's minor units. */
const BUCKETS_MAJOR = [0, 10, 25, 50, 100, 250, 500, 1000, 2500];

export function priceBucketBounds(currency: string): number[] {
  const scale = 10 ** minorDigits(currency);
  return BUCKETS_MAJOR.map((m) => m * scale);
}

export interface PriceBucket {
  readonly min: number;
  /** Exclusive; null for the open top bucket. */
  readonly max: number | null;
  readonly count: number;
}

/** width_bucket() indexes (1-based, per bound) with counts → labelled buckets, empty ones kept out. */
export function priceBuckets(bounds: readonly number[], counts: readonly { bucket: number; count: number }[]) {
  const out: PriceBucket[] = [];
  for (const { bucket, count } of [...counts].sort((a, b) => a.bucket - b.bucket)) {
    const min = bounds[bucket - 1];
    if (min === undefined || count === 0) continue;
    out.push({ min, max: bounds[bucket] ?? null, count });
  }
  return out;
}

/** A stable text form of the parameters that decide a result page: the cache key. */
export function searchKey(p: SearchParams): string {
  const attrs = Object.keys(p.attrs)
    .sort()
    .map((k) => [k, [...(p.attrs[k] ?? [])].sort()]);
  return JSON.stringify([
    tokenize(p.q),
    p.category,
    [...p.brands].sort(),
    p.currency,
    p.minPrice,
    p.maxPrice,
    attrs,
    p.inStock,
    p.minRating,
    p.sort,
    p.cursor,
    p.limit,
  ]);
}

/**
 * How the spelling dictionary's document counts change when products' word sets go from
 * `before` to `after` (one array per product; a product appears at most once per side).
 */
export function termDelta(before: readonly (readonly string[])[], after: readonly (readonly string[])[]) {
  const delta = new Map<string, number>();
  for (const terms of before) for (const t of new Set(terms)) delta.set(t, (delta.get(t) ?? 0) - 1);
  for (const terms of after) for (const t of new Set(terms)) delta.set(t, (delta.get(t) ?? 0) + 1);
  for (const [t, d] of delta) if (d === 0) delta.delete(t);
  return delta;
}
