import type { Queryable } from '@storefront/kit';
import type { Cursor, EffectiveSort, TermCandidate } from './domain-search.ts';

/** The search queries over search_doc (built by store-search-doc.ts). */

export interface WordLookup {
  /** A stop word ("the"): it narrows nothing and needs no correction. */
  readonly stop: boolean;
  /** Some published product contains it (as a prefix, for the last word). */
  readonly known: boolean;
  /** Dictionary words near it; only looked up for unknown words. */
  readonly candidates: TermCandidate[];
}

/**
 * For each typed word: does any product contain it, and if not, which dictionary words are near
 * it — by trigram similarity (GIN trigram index) or a shared sound key (B-tree). One round trip.
 */
export async function lookupWords(
  db: Queryable,
  words: readonly { word: string; prefix: boolean; sound: string }[],
): Promise<WordLookup[]> {
  if (words.length === 0) return [];
  const { rows } = await db.query<{ stop: boolean; known: boolean; candidates: TermCandidate[] | null }>(
    `SELECT numnode(q.q) = 0 AS stop, k.known,
       CASE WHEN numnode(q.q) > 0 AND NOT k.known THEN (
         SELECT coalesce(json_agg(json_build_object('term', t.term, 'similarity', t.sim, 'sameSound', t.same,
                                                    'docCount', t.doc_count)), '[]'::json)
           FROM (SELECT t.term, public.similarity(t.term, w.word) AS sim, t.sound = w.sound AS same, t.doc_count
                   FROM search_terms t
                  WHERE t.term OPERATOR(public.%) w.word OR t.sound = w.sound
                  ORDER BY public.similarity(t.term, w.word) + CASE WHEN t.sound = w.sound THEN 0.3 ELSE 0 END DESC,
                           t.doc_count DESC
                  LIMIT 30) t) END AS candidates
     FROM unnest($1::text[], $2::text[], $3::bool[]) WITH ORDINALITY AS w(word, sound, prefix, ord)
     CROSS JOIN LATERAL (SELECT to_tsquery('english', w.word || CASE WHEN w.prefix THEN ':*' ELSE '' END) AS q) q
     CROSS JOIN LATERAL (SELECT numnode(q.q) > 0 AND EXISTS (SELECT 1 FROM search_doc d WHERE d.tsv @@ q.q) AS known) k
     ORDER BY w.ord`,
    [words.map((w) => w.word), words.map((w) => w.sound), words.map((w) => w.prefix)],
  );
  return rows.map((r) => ({ stop: r.stop, known: r.known, candidates: r.candidates ?? [] }));
}

/** Slugs and attribute values → facet ids, the only form search_doc knows them in. */
export async function resolveFacets(
  db: Queryable,
  want: { category: string | null; brands: readonly string[]; attrs: Readonly<Record<string, readonly string[]>> },
): Promise<{ category: number | null | 'missing'; brands: number[]; attrs: Map<string, number[]> }> {
  const attrKeys: string[] = [];
  const attrValues: string[] = [];
  for (const [k, vs] of Object.entries(want.attrs)) {
    for (const v of vs) {
      attrKeys.push(k);
      attrValues.push(v);
    }
  }
  const { rows } = await db.query<{ id: number; kind: string; key: string }>(
    `WITH wanted (kind, key, value) AS (
       SELECT 'category', '', c.id::text FROM categories c WHERE c.slug = $1
       UNION ALL SELECT 'brand', '', b.id::text FROM brands b WHERE b.slug = ANY($2::text[])
       UNION ALL SELECT 'attr', a.k, a.v FROM unnest($3::text[], $4::text[]) AS a(k, v))
     SELECT fv.id, fv.kind, fv.key FROM wanted w JOIN facet_values fv USING (kind, key, value)`,
    [want.category, want.brands, attrKeys, attrValues],
  );
  const attrs = new Map<string, number[]>(Object.keys(want.attrs).map((k) => [k, []]));
  const brands: number[] = [];
  let category: number | null | 'missing' = want.category === null ? null : 'missing';
  for (const r of rows) {
    if (r.kind === 'category') category = r.id;
    else if (r.kind === 'brand') brands.push(r.id);
    else attrs.get(r.key)?.push(r.id);
  }
  return { category, brands, attrs };
}

export interface SearchQuery {
  readonly tsquery: string | null;
  /** Facet ids every row must carry (the category). */
  readonly allOf: readonly number[];
  /** Groups of facet ids; a row must carry one of each group. */
  readonly anyOf: readonly (readonly number[])[];
  readonly currency: string;
  readonly minPrice: number | null;
  readonly maxPrice: number | null;
  readonly sort: EffectiveSort;
  readonly after: Cursor | null;
  readonly limit: number;
  readonly priceBounds: readonly number[];
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
  readonly rank: number;
  readonly createdUs: number;
}

export interface FacetCount {
  readonly kind: 'category' | 'brand' | 'attr';
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
};

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
    case 'price_asc':
    case 'price_desc': {
      if (c.key === null) return `(price IS NULL AND product_id > ${id})`;
      const k = `${p(c.key)}::bigint`;
      const beyond = c.sort === 'price_asc' ? `price > ${k}` : `price < ${k}`;
      return `(${beyond} OR (price = ${k} AND product_id > ${id}) OR price IS NULL)`;
    }
  }
}

/**
 * One statement: the filtered set (materialized once, narrow), its size, one page in keyset order,
 * facet counts over the whole filtered set, and price buckets. Display columns are joined for the
 * page's rows only.
 */
export async function searchProducts(db: Queryable, s: SearchQuery): Promise<SearchResult> {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const price = `(d.prices ->> ${p(s.currency)})::bigint`;
  const where: string[] = [];
  const tsq = s.tsquery === null ? null : `to_tsquery('english', ${p(s.tsquery)})`;
  if (tsq) where.push(`d.tsv @@ ${tsq}`);
  if (s.allOf.length) where.push(`d.facets @> ${p(s.allOf)}::int[]`);
  for (const group of s.anyOf) where.push(`d.facets && ${p(group)}::int[]`);
  if (s.minPrice !== null) where.push(`${price} >= ${p(s.minPrice)}`);
  if (s.maxPrice !== null) where.push(`${price} <= ${p(s.maxPrice)}`);
  const rank = s.sort === 'rank' && tsq ? `ts_rank(d.tsv, ${tsq})` : '0::real';
  const after = s.after ? `WHERE ${afterClause(s.after, p)}` : '';

  const { rows } = await db.query<{
    total: number;
    rows: SearchRow[];
    facets: FacetCount[];
    buckets: { bucket: number; count: number }[];
  }>(
    `WITH f AS MATERIALIZED (
       SELECT d.product_id, d.facets, ${price} AS price, d.created_us, ${rank} AS rank
         FROM search_doc d ${where.length ? `WHERE ${where.join(' AND ')}` : ''}),
     page AS (SELECT * FROM f ${after} ORDER BY ${ORDER[s.sort]} LIMIT ${p(s.limit + 1)}),
     counts AS (SELECT v, count(*)::int AS n FROM f, unnest(f.facets) v GROUP BY v)
     SELECT
       (SELECT count(*)::int FROM f) AS total,
       (SELECT coalesce(json_agg(json_build_object(
           'id', d.product_id, 'slug', d.slug, 'name', d.name, 'brand', d.brand_name, 'image', d.image,
           'price', page.price, 'ratingCount', d.rating_count, 'ratingSum', d.rating_sum, 'rank', page.rank,
           'createdUs', page.created_us) ORDER BY ${ORDER[s.sort].replaceAll(/(\w+) (ASC|DESC)/g, 'page.$1 $2')}),
         '[]'::json)
          FROM page JOIN search_doc d ON d.product_id = page.product_id) AS rows,
       (SELECT coalesce(json_agg(json_build_object(
           'kind', fv.kind, 'key', fv.key, 'value', fv.value, 'count', counts.n,
           'slug', coalesce(c.slug, b.slug), 'name', coalesce(c.name, b.name), 'path', c.path)), '[]'::json)
          FROM counts JOIN facet_values fv ON fv.id = counts.v
          LEFT JOIN categories c ON fv.kind = 'category' AND c.id::text = fv.value
          LEFT JOIN brands b ON fv.kind = 'brand' AND b.id::text = fv.value) AS facets,
       (SELECT coalesce(json_agg(json_build_object('bucket', x.b, 'count', x.n)), '[]'::json)
          FROM (SELECT width_bucket(price, ${p(s.priceBounds)}::bigint[]) AS b, count(*)::int AS n
                  FROM f WHERE price IS NOT NULL GROUP BY 1) x) AS buckets`,
    params,
  );
  const r = rows[0];
  return { total: r?.total ?? 0, rows: r?.rows ?? [], facets: r?.facets ?? [], buckets: r?.buckets ?? [] };
}
