import type { Queryable } from '@storefront/kit';

/** Search-box suggestions: cheap prefix lookups, each bounded by an index and a LIMIT. */

export interface Suggestions {
  /** Completions of the last word, commonest first. */
  readonly terms: string[];
  readonly products: { slug: string; name: string }[];
  readonly categories: { slug: string; name: string; path: string }[];
  readonly brands: { slug: string; name: string }[];
}

// One word: the commonest dictionary words it starts. More words: the commonest completions among
// the products that match them all, so "wireless he" offers "headphones", not any "he..." word.
const TERMS_ALONE = `SELECT term FROM search_terms WHERE term LIKE $1 || '%' ORDER BY doc_count DESC, term LIMIT $3`;
const TERMS_IN_CONTEXT = `
  SELECT t AS term FROM (SELECT terms FROM search_doc WHERE tsv @@ to_tsquery('english', $2)
                          ORDER BY rating_count DESC, product_id LIMIT 500) x, unnest(x.terms) t
   WHERE t LIKE $1 || '%' GROUP BY t ORDER BY count(*) DESC, t LIMIT $3`;

/**
 * `last` is the word being typed (letters and digits only, so it needs no LIKE escaping);
 * `tsquery` matches every word with the last as a prefix.
 */
export async function suggest(
  db: Queryable,
  last: string,
  tsquery: string,
  limit: number,
  opts: { inContext: boolean },
): Promise<Suggestions> {
  const { rows } = await db.query<Suggestions>(
    `SELECT
       (SELECT coalesce(json_agg(t.term), '[]'::json) FROM (${opts.inContext ? TERMS_IN_CONTEXT : TERMS_ALONE}) t) AS terms,
       (SELECT coalesce(json_agg(json_build_object('slug', x.slug, 'name', x.name)), '[]'::json) FROM (
          SELECT slug, name FROM search_doc WHERE tsv @@ to_tsquery('english', $2)
          ORDER BY rating_count DESC, product_id LIMIT $3) x) AS products,
       (SELECT coalesce(json_agg(json_build_object('slug', c.slug, 'name', c.name, 'path', c.path)), '[]'::json) FROM (
          SELECT slug, name, path FROM categories
           WHERE position(' ' || $1 IN ' ' || lower(name)) > 0 ORDER BY length(path), name LIMIT $3) c) AS categories,
       (SELECT coalesce(json_agg(json_build_object('slug', b.slug, 'name', b.name)), '[]'::json) FROM (
          SELECT slug, name FROM brands
           WHERE position(' ' || $1 IN ' ' || lower(name)) > 0 ORDER BY name LIMIT $3) b) AS brands`,
    [last, tsquery, limit],
  );
  return rows[0] ?? { terms: [], products: [], categories: [], brands: [] };
}
