import type { Context } from 'hono';
import { ApiError } from '../api.ts';
import type { WebEnv } from '../env.ts';
import type { Listing, ListingResult, RatingFacet } from './listing-query.ts';
import type { CategoryNode } from './types.ts';

/** The catalog calls behind a listing: the page of results, the extra facet searches, the tree. */

const PAGE_SIZE = 24;

async function search(c: Context<WebEnv>, path: string, q: Listing, limit = PAGE_SIZE): Promise<ListingResult> {
  const [min, max] = q.price ? q.price.split('-') : [];
  const query: Record<string, string | number | readonly string[] | undefined> = {
    q: q.q,
    category: path.startsWith('/api/catalog/products') ? q.category : undefined,
    brand: q.brand,
    minPrice: min || undefined,
    maxPrice: max || undefined,
    inStock: q.inStock ? 'true' : undefined,
    minRating: q.minRating,
    // Browsing without words: newest first unless asked otherwise.
    sort: q.sort ?? (q.q ? undefined : 'newest'),
    cursor: q.cursor,
    limit,
    currency: c.get('config').SHOP_CURRENCY,
  };
  for (const [k, vs] of Object.entries(q.attrs)) query[`attr.${k}`] = vs;
  const r = await c.get('api').call<ListingResult>(c, 'GET', path, { query, credentials: false });
  if (r.problem) throw new ApiError(r.problem);
  return r.body;
}

export interface ListingData {
  readonly result: ListingResult;
  /** Brand and attribute values beyond the chosen ones (counts not exact), when some are chosen. */
  readonly broad: ListingResult | undefined;
  /** The rating levels with exact counts for each choice (the facet without its own filter). */
  readonly rating: RatingFacet | undefined;
}

/**
 * The catalog counts facets over the filtered results, its own filter included, so once a brand is
 * chosen the other brands vanish. To let a shopper add a second brand (or colour), a one-item
 * search without the brand and attribute filters brings the other values; they are offered
 * without a count (the exact count would need one search per facet). The rating levels nest
 * ("3★ & up" holds "4★ & up"), so one search without `minRating` gives the exact count of every
 * choice; with no rating chosen the page's own facet already is that.
 */
export async function listingData(c: Context<WebEnv>, path: string, q: Listing): Promise<ListingData> {
  const disjunctive = q.brand.length > 0 || Object.keys(q.attrs).length > 0;
  const [result, broad, unrated] = await Promise.all([
    search(c, path, q),
    disjunctive
      ? search(c, path, { ...q, brand: [], attrs: {}, cursor: undefined }, 1).catch(() => undefined)
      : Promise.resolve(undefined),
    q.minRating
      ? search(c, path, { ...q, minRating: undefined, cursor: undefined }, 1).catch(() => undefined)
      : Promise.resolve(undefined),
  ]);
  return { result, broad, rating: (q.minRating ? (unrated ?? result) : result).facets.rating };
}

export async function categoryTree(c: Context<WebEnv>): Promise<CategoryNode[]> {
  const r = await c.get('api').call<{ items: CategoryNode[] }>(c, 'GET', '/api/catalog/categories', {
    credentials: false,
  });
  if (r.problem) throw new ApiError(r.problem);
  return r.body.items ?? [];
}

/** Every category by slug, with its parent, from the tree. */
export function categoryIndex(tree: readonly CategoryNode[]) {
  const bySlug = new Map<string, { node: CategoryNode; parent: string | undefined }>();
  const walk = (nodes: readonly CategoryNode[], parent: string | undefined) => {
    for (const n of nodes) {
      bySlug.set(n.slug, { node: n, parent });
      walk(n.children ?? [], n.slug);
    }
  };
  walk(tree, undefined);
  return bySlug;
}
