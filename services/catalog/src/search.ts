import type { Db, Queryable } from '@storefront/kit';
import { ratingSummary } from './domain.ts';
import {
  type Cursor,
  chooseCorrection,
  correctedQuery,
  decodeCursor,
  effectiveSort,
  encodeCursor,
  priceBucketBounds,
  priceBuckets,
  RATING_LEVELS,
  type SearchParams,
  soundKey,
  tokenize,
  tsqueryText,
  tsqueryTextAny,
  type WordPlan,
} from './domain-search.ts';
import type { SearchOutT } from './schemas.ts';
import { browseProducts, type FacetCount, type SearchRow, searchProducts } from './store-search.ts';
import { lookupWords, resolveFacets } from './store-search-words.ts';
import { type Suggestions, suggest } from './store-suggest.ts';

/**
 * Faceted search: words → spelling plan → one SQL statement → the response. Facet counts are
 * computed over the whole filtered result set (every filter applied, the facet's own included),
 * so each count is exactly the number of results that also carry that value. Browsing (a category
 * or everything, nothing else) reads the same counts from tables maintained on every write.
 */

const MAX_BRANDS = 30;
const MAX_ATTR_KEYS = 12;
const MAX_ATTR_VALUES = 20;

/** Which typed words need correcting, decided against what the catalog actually contains. */
export async function planWords(db: Db, q: string): Promise<WordPlan[]> {
  const tokens = tokenize(q);
  const last = tokens.length - 1;
  const input = tokens.map((word, i) => ({ word, prefix: i === last, sound: soundKey(word) }));
  const lookups = await lookupWords(db, input);
  return input.flatMap((w, i) => {
    const l = lookups[i];
    if (!l || l.stop) return [];
    return [{ word: w.word, prefix: w.prefix, correction: l.known ? null : chooseCorrection(w.word, l.candidates) }];
  });
}

export async function runSearch(db: Db, p: SearchParams): Promise<SearchOutT> {
  const words = await planWords(db, p.q);
  const sort = effectiveSort(p.sort, words.length > 0);
  const after = p.cursor ? decodeCursor(p.cursor, sort) : null;
  const bounds = priceBucketBounds(p.currency);
  const empty = (): SearchOutT => ({
    query: { q: p.q, corrected: correctedQuery(words), matched: 'all' },
    total: 0,
    items: [],
    nextCursor: null,
    facets: {
      categories: [],
      brands: [],
      price: { currency: p.currency, buckets: [] },
      attributes: [],
      inStock: 0,
      rating: ratingFacet([]),
    },
  });

  const ids = await resolveFacets(db, {
    category: p.category,
    brands: p.brands,
    attrs: p.attrs,
    stock: true,
    minRating: p.minRating,
  });
  if (ids.category === 'missing' || (p.brands.length > 0 && ids.brands.length === 0)) return empty();
  const anyOf = [...(p.brands.length ? [ids.brands] : []), ...ids.attrs.values()];
  if (anyOf.some((g) => g.length === 0)) return empty();
  if (p.inStock === true && ids.stock === null) return empty();
  if (p.minRating !== null && ids.rating === null) return empty();
  const stock = ids.stock === null ? [] : [ids.stock];

  const base = {
    allOf: [
      ...(ids.category === null ? [] : [ids.category]),
      ...(p.inStock === true ? stock : []),
      ...(ids.rating === null ? [] : [ids.rating]),
    ],
    anyOf,
    noneOf: p.inStock === false ? stock : [],
    currency: p.currency,
    minPrice: p.minPrice,
    maxPrice: p.maxPrice,
    sort,
    after,
    limit: p.limit,
  };
  const browsing =
    words.length === 0 &&
    anyOf.length === 0 &&
    p.minPrice === null &&
    p.maxPrice === null &&
    p.inStock === null &&
    p.minRating === null;
  let matched: 'all' | 'any' = 'all';
  let result = browsing
    ? await browseProducts(db, { scope: ids.category ?? 0, currency: p.currency, sort, after, limit: p.limit })
    : await searchProducts(db, { ...base, tsquery: tsqueryText(words) });
  if (result.total === 0 && words.length > 1) {
    // Nothing has every word: rank what has some of them rather than show an empty page.
    matched = 'any';
    result = await searchProducts(db, { ...base, tsquery: tsqueryTextAny(words) });
  }

  const page = result.rows.slice(0, p.limit);
  const lastRow = page.at(-1);
  return {
    query: { q: p.q, corrected: correctedQuery(words), matched },
    total: result.total,
    items: page.map((r) => ({
      id: r.id,
      slug: r.slug,
      name: r.name,
      brand: r.brand,
      image: r.image,
      price: r.price === null ? null : { amount: r.price, currency: p.currency },
      rating: ratingSummary(r.ratingCount, r.ratingSum),
      inStock: r.inStock,
    })),
    nextCursor:
      result.rows.length > p.limit && lastRow
        ? encodeCursor({ sort, key: cursorKey(sort, lastRow), id: lastRow.id })
        : null,
    facets: {
      ...shapeFacets(result.facets),
      price: { currency: p.currency, buckets: priceBuckets(bounds, result.buckets) },
      inStock: result.facets.find((f) => f.kind === 'stock')?.count ?? 0,
      rating: ratingFacet(result.facets),
    },
  };
}

function cursorKey(sort: ReturnType<typeof effectiveSort>, row: SearchRow): Cursor['key'] {
  if (sort === 'rank') return row.rank;
  if (sort === 'newest') return row.createdUs;
  if (sort === 'rating') return [row.ratingAvg, row.ratingCount];
  return row.price;
}

/** "N stars & up" for every level, highest first (0 when no result reaches it). */
function ratingFacet(counts: readonly FacetCount[]) {
  return RATING_LEVELS.map((min) => ({
    min,
    count: counts.find((f) => f.kind === 'rating' && f.value === String(min))?.count ?? 0,
  }));
}

function shapeFacets(counts: readonly FacetCount[]) {
  const categories = counts
    .filter((f) => f.kind === 'category' && f.slug && f.name && f.path)
    .map((f) => ({ slug: f.slug ?? '', name: f.name ?? '', path: f.path ?? '', count: f.count }))
    .sort((a, b) => a.path.localeCompare(b.path));
  const brands = counts
    .filter((f) => f.kind === 'brand' && f.slug && f.name)
    .map((f) => ({ slug: f.slug ?? '', name: f.name ?? '', count: f.count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
    .slice(0, MAX_BRANDS);
  const byKey = new Map<string, { value: string; count: number }[]>();
  for (const f of counts) {
    if (f.kind !== 'attr') continue;
    const list = byKey.get(f.key) ?? [];
    list.push({ value: f.value, count: f.count });
    byKey.set(f.key, list);
  }
  const coverage = (vs: { count: number }[]) => vs.reduce((s, v) => s + v.count, 0);
  const attributes = [...byKey.entries()]
    .sort(([ka, a], [kb, b]) => coverage(b) - coverage(a) || ka.localeCompare(kb))
    .slice(0, MAX_ATTR_KEYS)
    .sort(([ka], [kb]) => ka.localeCompare(kb))
    .map(([key, values]) => ({
      key,
      values: values.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, MAX_ATTR_VALUES),
    }));
  return { categories, brands, attributes };
}

/** Search-box suggestions for what has been typed so far (the last word as a prefix). */
export async function runSuggest(db: Queryable, q: string, limit: number): Promise<Suggestions> {
  const tokens = tokenize(q, { keepLast: true });
  const last = tokens.at(-1);
  if (!last) return { terms: [], products: [], categories: [], brands: [] };
  const tsquery = tokens.map((t, i) => (i === tokens.length - 1 ? `${t}:*` : t)).join(' & ');
  const found = await suggest(db, last, tsquery, limit, { inContext: tokens.length > 1 });
  const head = tokens.slice(0, -1).join(' ');
  return { ...found, terms: found.terms.map((t) => (head ? `${head} ${t}` : t)) };
}
