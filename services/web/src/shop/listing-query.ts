import type { Context } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { formatMoney } from '../ui.tsx';
import { BadInput } from '../validate.ts';
import type { SearchResult } from './types.ts';

/**
 * What a listing URL says (the query string of /c/:slug and /search) and the links that change
 * one part of it. Everything a listing shows is in its URL, so every state can be shared.
 */

export const Slug = z
  .string()
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
export const SORTS = ['relevance', 'rating', 'price_asc', 'price_desc', 'newest'] as const;
export const SORT_LABEL: Record<(typeof SORTS)[number], string> = {
  relevance: 'Best match',
  rating: 'Top rated',
  newest: 'Newest',
  price_asc: 'Price: low to high',
  price_desc: 'Price: high to low',
};
/** The catalog's rating levels: "4★ & up" … "1★ & up" (average rating at least that). */
export const RATING_LEVELS = ['4', '3', '2', '1'] as const;
const ATTR_KEY = /^[a-z][a-z0-9_]{0,31}$/;

/** The catalog's rating facet (`facets.rating`); absent from a catalog that does not offer it. */
export type RatingFacet = readonly { min: number; count: number }[];
export type ListingResult = SearchResult & { readonly facets: { readonly rating?: RatingFacet } };

const ListingQuery = z
  .object({
    q: z.string().trim().max(200, 'the search is too long').optional(),
    category: Slug.optional(),
    brand: z.array(Slug).max(10, 'at most 10 brands').default([]),
    price: z
      .string()
      .regex(/^\d{1,12}-\d{0,12}$/, 'not a price range')
      .optional(),
    inStock: z.enum(['1', 'true']).optional(),
    minRating: z.enum(RATING_LEVELS, 'not a rating (1 to 4 stars)').optional(),
    sort: z.enum(SORTS).optional(),
    cursor: z
      .string()
      .max(400)
      .regex(/^[A-Za-z0-9_-]+$/, 'not a page link')
      .optional(),
    attrs: z
      .record(z.string().regex(ATTR_KEY), z.array(z.string().min(1).max(100)).max(10))
      .refine((a) => Object.keys(a).length <= 10, 'at most 10 attribute filters'),
  })
  .superRefine((q, ctx) => {
    if (!q.price) return;
    const [min, max] = q.price.split('-');
    if (max && Number(min) > Number(max))
      ctx.addIssue({ code: 'custom', path: ['price'], message: 'not a price range' });
  });
export type Listing = z.infer<typeof ListingQuery>;

const SINGLE = ['q', 'category', 'price', 'inStock', 'minRating', 'sort', 'cursor'] as const;
type Single = (typeof SINGLE)[number];

/** The query string (repeated keys kept) through the schema; unknown keys are ignored. */
export function parseListing(c: Context<WebEnv>): Listing {
  const url = new URL(c.req.url);
  const raw: Record<string, unknown> = { brand: [], attrs: {} };
  const attrs = raw.attrs as Record<string, string[]>;
  for (const [k, v] of url.searchParams) {
    if (v === '') continue;
    if (k === 'brand') (raw.brand as string[]).push(v);
    else if (k.startsWith('attr.')) {
      const key = k.slice(5);
      if (!ATTR_KEY.test(key)) continue;
      attrs[key] = [...(attrs[key] ?? []), v];
    } else if ((SINGLE as readonly string[]).includes(k)) raw[k] = v;
  }
  const r = ListingQuery.safeParse(raw);
  if (!r.success) {
    throw new BadInput(r.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)));
  }
  return r.data;
}

/** Whether anything narrows the listing (words or any filter). */
export const isFiltered = (q: Listing, opts: { words: boolean }) =>
  Boolean((opts.words && q.q) || q.brand.length || q.price || q.inStock || q.minRating || Object.keys(q.attrs).length);

/** The listing as URL parameters (for links), without `cursor` unless given. */
export function params(q: Listing, over: Partial<Record<Single, string | undefined>> = {}) {
  const p = new URLSearchParams();
  const put = (k: string, v: string | undefined) => {
    if (v) p.append(k, v);
  };
  const pick = <K extends keyof typeof over>(k: K, v: string | undefined) => (k in over ? over[k] : v);
  put('q', pick('q', q.q));
  put('category', pick('category', q.category));
  for (const b of q.brand) p.append('brand', b);
  put('price', pick('price', q.price));
  for (const [k, vs] of Object.entries(q.attrs)) for (const v of vs) p.append(`attr.${k}`, v);
  put('inStock', pick('inStock', q.inStock ? '1' : undefined));
  put('minRating', pick('minRating', q.minRating));
  put('sort', pick('sort', q.sort));
  put('cursor', over.cursor);
  return p;
}

export function href(path: string, p: URLSearchParams): string {
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

export function without(q: Listing, what: { brand?: string; attr?: [string, string] }): Listing {
  return {
    ...q,
    brand: q.brand.filter((b) => b !== what.brand),
    attrs: Object.fromEntries(
      Object.entries(q.attrs)
        .map(([k, vs]) => [k, vs.filter((v) => !(what.attr && what.attr[0] === k && what.attr[1] === v))] as const)
        .filter(([, vs]) => vs.length > 0),
    ),
  };
}

export function priceLabel(min: number, max: number | null, currency: string): string {
  const f = (n: number) => formatMoney({ amount: n, currency }).replace(/\.00$/, '');
  if (max === null) return `${f(min)} and up`;
  if (min === 0) return `Under ${f(max)}`;
  return `${f(min)} – ${f(max)}`;
}

/** "4 stars & up" (what a screen reader says; the page shows "4★ & up"). */
export const ratingLabel = (min: string | number) => `${min} ${Number(min) === 1 ? 'star' : 'stars'} & up`;

export const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
