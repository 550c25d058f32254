import type { Queryable } from '@storefront/kit';

/**
 * Keeps facet_counts and price_counts (migration 002) equal to what aggregating search_doc would
 * give for every browse scope: the whole catalog (scope 0) and each category (its facet id).
 * refreshSearchDocs subtracts the rows it is about to replace and adds the new ones, in its
 * transaction, so the counts move with the search rows.
 */
const adjust = (sign: '' | '-') => `
  WITH scoped AS (
    SELECT s.scope, d.facets, d.prices
      FROM search_doc d
      CROSS JOIN LATERAL (SELECT 0 AS scope
                          UNION ALL
                          SELECT fv.id FROM unnest(d.facets) x JOIN facet_values fv ON fv.id = x AND fv.kind = 'category') s
     WHERE d.product_id = ANY($1::uuid[])),
  facets AS (
    INSERT INTO facet_counts AS c (scope, facet, n)
    SELECT scope, f.facet, ${sign}count(*)::int
      FROM scoped CROSS JOIN LATERAL (SELECT 0 AS facet UNION ALL SELECT unnest(scoped.facets)) f
     GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (scope, facet) DO UPDATE SET n = c.n + excluded.n)
  INSERT INTO price_counts AS c (scope, currency, bucket, n)
  SELECT scope, p.key, width_bucket(p.value::bigint, price_bucket_bounds(p.key)), ${sign}count(*)::int
    FROM scoped CROSS JOIN LATERAL jsonb_each_text(scoped.prices) p
   GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (scope, currency, bucket) DO UPDATE SET n = c.n + excluded.n`;

const SUBTRACT = adjust('-');
const ADD = adjust('');

/** Takes these products' current search rows out of the counts (before they change or go). */
export async function subtractBrowseCounts(tx: Queryable, productIds: readonly string[]): Promise<void> {
  await tx.query(SUBTRACT, [productIds]);
}

/** Puts these products' current search rows into the counts (after they were written). */
export async function addBrowseCounts(tx: Queryable, productIds: readonly string[]): Promise<void> {
  await tx.query(ADD, [productIds]);
}
