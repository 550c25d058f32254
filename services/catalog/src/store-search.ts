import type { Queryable } from '@storefront/kit';
import type { Cursor, EffectiveSort, RatingKey } from './domain-search.ts';

/** The search queries over search_doc (built by store-search-doc.ts). */

export interface SearchQuery {
  readonly tsquery: string | null;
  /** Facet ids every row must carry (the category). */
  readonly allOf: readonly number[];
  /** Groups of facet ids; a row must carry one of each group. */
  readonly anyOf: readonly (readonly number[])[];
  /** Facet ids no row may carry (in stock, when asking for what is sold out). */
  readonly noneOf: readonly number[];
  readonly currency: string;
  readonly minPrice: number | null;
  readonly maxPrice: number | null;
  readonly sort: EffectiveSort;
  readonly after: Cursor | null;
  readonly limit: number;
}

export interface SearchRow {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly brand: string | null;
  readonly image: string | null;
  readonly price: number | null;
  readonly ratingCount: number;
  readonly ratingSum: number;
  /** search_doc.rating_avg as text: exact, for the "rating" cursor. */
  readonly ratingAvg: string;
  readonly inStock: boolean;
  readonly rank: number;
  readonly createdUs: number;
}

export interface FacetCount {
  readonly kind: 'category' | 'brand' | 'attr' | 'stock' | 'rating';
  readonly key: string;
  readonly value: string;
  readonly count: number;
  /** Slug, name and path for categories and brands. */
  readonly slug: string | null;
  readonly name: string | null;
  readonly path: string | null;
}

export interface SearchResult {
  readonly total: number;
  /** Up to limit + 1 rows: the extra one says there is a next page. */
  readonly rows: SearchRow[];
  readonly facets: FacetCount[];
  readonly buckets: { bucket: number; count: number }[];
}

const ORDER: Record<EffectiveSort, string> = {
  rank: 'rank DESC, product_id ASC',
  newest: 'created_us DESC, product_id DESC',
  price_asc: 'price ASC NULLS LAST, product_id ASC',
  price_desc: 'price DESC NULLS LAST, product_id ASC',
  // Average DESC, review count DESC, then the id: negated so it is one ascending index order
  // (search_doc_rating, migration 005) and one row comparison after a cursor.
  rating: '-rating_avg ASC, -rating_count ASC, product_id ASC',
};

/** The columns a sort orders by beyond the ones every query selects. */
const SORT_COLUMNS = (sort: EffectiveSort) => (sort === 'rating' ? ', d.rating_avg, d.rating_count' : '');

/** Keyset condition for "after this row" in each order; stable under ties through the id. */
function afterClause(c: Cursor, p: (v: unknown) => string): string {
  const id = `${p(c.id)}::uuid`;
  switch (c.sort) {
    case 'rank': {
      const k = `${p(c.key)}::real`;
      return `(rank < ${k} OR (rank = ${k} AND product_id > ${id}))`;
    }
    case 'newest':
      return `(created_us, product_id) < (${p(c.key)}::bigint, ${id})`;
    case 'rating': {
      const [avg, count] = c.key as RatingKey;
      return `(-rating_avg, -rating_count, product_id) > (-${p(avg)}::numeric, -${p(count)}::int, ${id})`;
    }
    case 'price_asc':
    case 'price_desc': {
      if (c.key === null) return `(price IS NULL AND product_id > ${id})`;
      const k = `${p(c.key)}::bigint`;
      const beyond = c.sort === 'price_asc' ? `price > ${k}` : `price < ${k}`;
      return `(${beyond} OR (price = ${k} AND product_id > ${id}) OR price IS NULL)`;
    }
  }
}

/** Display columns of the page's rows (the thumbnail from products), in page order. */
const pageRows = (order: string) => `
  (SELECT coalesce(json_agg(json_build_object(
      'id', d.product_id, 'slug', d.slug, 'name', d.name, 'brand', d.brand_name, 'image', p.images -> 0 ->> 'url',
      'price', page.price, 'ratingCount', d.rating_count, 'ratingSum', d.rating_sum,
      'ratingAvg', d.rating_avg::text, 'inStock', d.in_stock,
      'rank', page.rank,
      'createdUs', page.created_us) ORDER BY ${order.replaceAll(/(\w+) (ASC|DESC)/g, 'page.$1 $2')}), '[]'::json)
     FROM page
     JOIN search_doc d ON d.product_id = page.product_id
     JOIN products p ON p.id = page.product_id) AS rows`;

/** Facet ids with counts (`counts(v, n)`) → labelled facet values. */
const FACET_LABELS = `
  (SELECT coalesce(json_agg(json_build_object(
      'kind', fv.kind, 'key', fv.key, 'value', fv.value, 'count', counts.n,
      'slug', coalesce(c.slug, b.slug), 'name', coalesce(c.name, b.name), 'path', c.path)), '[]'::json)
     FROM counts JOIN facet_values fv ON fv.id = counts.v
     LEFT JOIN categories c ON fv.kind = 'category' AND c.id::text = fv.value
     LEFT JOIN brands b ON fv.kind = 'brand' AND b.id::text = fv.value) AS facets`;

/**
 * One statement: the filtered set (materialized once, narrow), its size, one page in keyset order,
 * facet counts over the whole filtered set (unnest in the select list: a ProjectSet is ~30%
 * cheaper than a lateral join per row here), and price buckets. Display columns are joined for the
 * page's rows only.
 */
export async function searchProducts(db: Queryable, s: SearchQuery): Promise<SearchResult> {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const currency = p(s.currency);
  const price = `(d.prices ->> ${currency})::bigint`;
  const where: string[] = [];
  const tsq = s.tsquery === null ? null : `to_tsquery('english', ${p(s.tsquery)})`;
  if (tsq) where.push(`d.tsv @@ ${tsq}`);
  if (s.allOf.length) where.push(`d.facets @> ${p(s.allOf)}::int[]`);
  for (const group of s.anyOf) where.push(`d.facets && ${p(group)}::int[]`);
  if (s.noneOf.length) where.push(`NOT d.facets && ${p(s.noneOf)}::int[]`);
  if (s.minPrice !== null) where.push(`${price} >= ${p(s.minPrice)}`);
  if (s.maxPrice !== null) where.push(`${price} <= ${p(s.maxPrice)}`);
  const rank = s.sort === 'rank' && tsq ? `ts_rank(d.tsv, ${tsq})` : '0::real';
  const after = s.after ? `WHERE ${afterClause(s.after, p)}` : '';

  const { rows } = await db.query<SearchResult>(
    `WITH f AS MATERIALIZED (
       SELECT d.product_id, d.facets, ${price} AS price, d.created_us, ${rank} AS rank${SORT_COLUMNS(s.sort)}
         FROM search_doc d ${where.length ? `WHERE ${where.join(' AND ')}` : ''}),
     page AS (SELECT * FROM f ${after} ORDER BY ${ORDER[s.sort]} LIMIT ${p(s.limit + 1)}),
     counts AS (SELECT v, count(*)::int AS n FROM (SELECT unnest(f.facets) AS v FROM f) x GROUP BY v)
     SELECT
       (SELECT count(*)::int FROM f) AS total,
       ${pageRows(ORDER[s.sort])},
       ${FACET_LABELS},
       (SELECT coalesce(json_agg(json_build_object('bucket', x.b, 'count', x.n)), '[]'::json)
          FROM (SELECT width_bucket(price, price_bucket_bounds(${currency})) AS b, count(*)::int AS n
                  FROM f WHERE price IS NOT NULL GROUP BY 1) x) AS buckets`,
    params,
  );
  return rows[0] ?? { total: 0, rows: [], facets: [], buckets: [] };
}

export interface BrowseQuery {
  /** 0 for the whole catalog, else the category's facet id. */
  readonly scope: number;
  readonly currency: string;
  readonly sort: EffectiveSort;
  readonly after: Cursor | null;
  readonly limit: number;
}

/**
 * A category page (or the whole catalog) with no words and no other filter: the counts come from
 * facet_counts and price_counts, maintained on every write, so only the page itself is read —
 * "newest" and "rating" straight off their indexes.
 */
export async function browseProducts(db: Queryable, s: BrowseQuery): Promise<SearchResult> {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const scope = p(s.scope);
  const currency = p(s.currency);
  const where = [
    ...(s.scope === 0 ? [] : [`d.facets @> ARRAY[${scope}::int]`]),
    ...(s.after ? [afterClause(s.after, p)] : []),
  ];
  const { rows } = await db.query<SearchResult>(
    `WITH page AS (
       SELECT * FROM (SELECT d.product_id, (d.prices ->> ${currency})::bigint AS price, d.created_us, 0::real AS rank,
                             d.facets${SORT_COLUMNS(s.sort)}
                        FROM search_doc d) d
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ${ORDER[s.sort]} LIMIT ${p(s.limit + 1)}),
     counts AS (SELECT facet AS v, n FROM facet_counts WHERE scope = ${scope} AND facet <> 0 AND n > 0)
     SELECT
       coalesce((SELECT n FROM facet_counts WHERE scope = ${scope} AND facet = 0), 0) AS total,
       ${pageRows(ORDER[s.sort])},
       ${FACET_LABELS},
       (SELECT coalesce(json_agg(json_build_object('bucket', bucket, 'count', n)), '[]'::json)
          FROM price_counts WHERE scope = ${scope} AND currency = ${currency} AND n > 0) AS buckets`,
    params,
  );
  return rows[0] ?? { total: 0, rows: [], facets: [], buckets: [] };
}
