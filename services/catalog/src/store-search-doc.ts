import type { Queryable } from '@storefront/kit';
import { soundKey, termDelta } from './domain-search.ts';
import { addBrowseCounts, subtractBrowseCounts } from './store-browse-counts.ts';

/**
 * Maintains the search read model (search_doc, facet_values, search_terms, and the browse counts)
 * from the source
 * tables. Every write that can change what a search returns calls refreshSearchDocs in its own
 * transaction, so search is never behind the catalog.
 */

/**
 * The batch of products, and their attribute pairs (product attributes plus every variant option;
 * `value` lower-cased for facets, `raw` as written for the text index).
 */
const SOURCES = `
  src AS MATERIALIZED (
    SELECT p.*, b.name AS brand_name, c.path AS category_path,
           EXISTS (SELECT 1 FROM variants v JOIN stock_levels s ON s.sku = v.sku
                    WHERE v.product_id = p.id AND s.available > 0) AS in_stock
      FROM products p
      LEFT JOIN brands b ON b.id = p.brand_id
      LEFT JOIN categories c ON c.id = p.category_id
     WHERE p.id = ANY($1::uuid[]) AND p.status = 'published'),
  pairs AS MATERIALIZED (
    SELECT src.id AS product_id, lower(kv.key) AS key, lower(kv.value) AS value, kv.value AS raw
      FROM src, jsonb_each_text(src.attributes) kv
    UNION
    SELECT v.product_id, lower(kv.key), lower(kv.value), kv.value
      FROM variants v JOIN src ON src.id = v.product_id, jsonb_each_text(v.options) kv),
  ancestors AS MATERIALIZED (
    SELECT src.id AS product_id, a.id, a.name, a.path
      FROM src JOIN categories a ON starts_with(src.category_path, a.path))`;

/**
 * The rating facet ids a product with this review count and sum carries: one per level it
 * reaches ("3 stars & up" = average ≥ 3), compared in integers so no rounding decides it.
 */
const ratingFacetIds = (count: string, sum: string) => `
  ARRAY(SELECT fv.id FROM generate_series(1, 4) level
          JOIN facet_values fv ON fv.kind = 'rating' AND fv.key = '' AND fv.value = level::text
         WHERE ${count} > 0 AND ${sum} >= level * ${count}
         ORDER BY level)`;

const ENSURE_FACET_VALUES = `
  WITH ${SOURCES}
  INSERT INTO facet_values (kind, key, value)
  SELECT DISTINCT kind, key, value FROM (
    SELECT 'brand' AS kind, '' AS key, src.brand_id::text AS value FROM src WHERE src.brand_id IS NOT NULL
    UNION ALL SELECT 'category', '', ancestors.id::text FROM ancestors
    UNION ALL SELECT 'attr', pairs.key, pairs.value FROM pairs
  ) x
  ORDER BY 1, 2, 3
  ON CONFLICT DO NOTHING`;

// Set-based (hash joins over the whole batch), so a bulk load of 100k products stays linear.
// Weights: name A, brand and category names B, description C, attribute values D.
const UPSERT_DOCS = `
  WITH ${SOURCES},
  attr AS (
    SELECT pairs.product_id, string_agg(DISTINCT pairs.raw, ' ') AS text, array_agg(DISTINCT fv.id) AS ids
      FROM pairs JOIN facet_values fv ON fv.kind = 'attr' AND fv.key = pairs.key AND fv.value = pairs.value
     GROUP BY pairs.product_id),
  cat AS (
    SELECT ancestors.product_id, string_agg(ancestors.name, ' ' ORDER BY ancestors.path) AS names,
           array_agg(fv.id) AS ids
      FROM ancestors JOIN facet_values fv ON fv.kind = 'category' AND fv.key = '' AND fv.value = ancestors.id::text
     GROUP BY ancestors.product_id),
  price AS (
    SELECT m.product_id, jsonb_object_agg(m.currency, m.amount) AS prices
      FROM (SELECT v.product_id, pr.currency, min(pr.amount) AS amount
              FROM src JOIN variants v ON v.product_id = src.id JOIN prices pr ON pr.sku = v.sku
             GROUP BY 1, 2) m
     GROUP BY m.product_id),
  doc AS (
    SELECT src.*, coalesce(attr.text, '') AS attr_text, coalesce(cat.names, '') AS category_names,
           coalesce(price.prices, '{}'::jsonb) AS min_prices,
           coalesce(bf.ids, '{}') || coalesce(cat.ids, '{}') || coalesce(attr.ids, '{}') || coalesce(sf.ids, '{}')
             || ${ratingFacetIds('src.rating_count', 'src.rating_sum')} AS facet_ids
      FROM src
      LEFT JOIN attr ON attr.product_id = src.id
      LEFT JOIN cat ON cat.product_id = src.id
      LEFT JOIN price ON price.product_id = src.id
      LEFT JOIN LATERAL (SELECT ARRAY[fv.id] AS ids FROM facet_values fv
                          WHERE fv.kind = 'brand' AND fv.key = '' AND fv.value = src.brand_id::text) bf ON true
      LEFT JOIN LATERAL (SELECT ARRAY[fv.id] AS ids FROM facet_values fv
                          WHERE src.in_stock AND fv.kind = 'stock' AND fv.key = '' AND fv.value = 'in') sf ON true)
  INSERT INTO search_doc AS d (product_id, slug, name, brand_id, brand_name, category_id, prices, facets,
                               in_stock, rating_count, rating_sum, created_us, terms, tsv)
  SELECT doc.id, doc.slug, doc.name, doc.brand_id, doc.brand_name, doc.category_id, doc.min_prices, doc.facet_ids,
    doc.in_stock, doc.rating_count, doc.rating_sum,
    (extract(epoch FROM doc.created_at) * 1000000)::bigint,
    ARRAY(SELECT DISTINCT t
            FROM unnest(tsvector_to_array(to_tsvector('simple',
                   concat_ws(' ', doc.name, doc.brand_name, doc.category_names, doc.attr_text)))) t
           WHERE t ~ '^[[:alpha:]][[:alnum:]]{2,39}$' ORDER BY t),
    setweight(to_tsvector('english', doc.name), 'A')
      || setweight(to_tsvector('english', concat_ws(' ', doc.brand_name, doc.category_names)), 'B')
      || setweight(to_tsvector('english', doc.description), 'C')
      || setweight(to_tsvector('english', doc.attr_text), 'D')
  FROM doc
  ON CONFLICT (product_id) DO UPDATE SET
    slug = excluded.slug, name = excluded.name, brand_id = excluded.brand_id, brand_name = excluded.brand_name,
    category_id = excluded.category_id, prices = excluded.prices, facets = excluded.facets, in_stock = excluded.in_stock,
    rating_count = excluded.rating_count, rating_sum = excluded.rating_sum, created_us = excluded.created_us,
    terms = excluded.terms, tsv = excluded.tsv
  RETURNING d.terms`;

/** Rebuilds the search rows of these products (drops those no longer published). */
export async function refreshSearchDocs(tx: Queryable, productIds: readonly string[]): Promise<void> {
  if (productIds.length === 0) return;
  const ids = [...new Set(productIds)].sort();
  // jsonb_each_text's default estimate (100 rows) pushes these plans over jit_above_cost, and
  // compiling them costs more than running them. The caller is always in a transaction.
  await tx.query('SET LOCAL jit = off');
  const before = await tx.query<{ terms: string[] }>(
    'SELECT terms FROM search_doc WHERE product_id = ANY($1::uuid[]) ORDER BY product_id FOR UPDATE',
    [ids],
  );
  await subtractBrowseCounts(tx, ids);
  await tx.query(ENSURE_FACET_VALUES, [ids]);
  const after = await tx.query<{ terms: string[] }>(UPSERT_DOCS, [ids]);
  await tx.query(
    `DELETE FROM search_doc d WHERE d.product_id = ANY($1::uuid[])
       AND NOT EXISTS (SELECT 1 FROM products p WHERE p.id = d.product_id AND p.status = 'published')`,
    [ids],
  );
  await addBrowseCounts(tx, ids);
  await applyTermDelta(
    tx,
    termDelta(
      before.rows.map((r) => r.terms),
      after.rows.map((r) => r.terms),
    ),
  );
}

/** Removes products' search rows before the products themselves go (keeps the dictionary counts right). */
export async function removeSearchDocs(tx: Queryable, productIds: readonly string[]): Promise<void> {
  await subtractBrowseCounts(tx, productIds);
  const { rows } = await tx.query<{ terms: string[] }>(
    'DELETE FROM search_doc WHERE product_id = ANY($1::uuid[]) RETURNING terms',
    [productIds],
  );
  await applyTermDelta(
    tx,
    termDelta(
      rows.map((r) => r.terms),
      [],
    ),
  );
}

/**
 * After a product's review summary changed (a review added, or one taken down): its search row
 * takes the new count and sum (the generated average follows), its rating facet values are
 * replaced, and the browse counts move with it — the same lock and order as refreshSearchDocs.
 */
export async function syncSearchDocRating(tx: Queryable, productId: string): Promise<void> {
  const locked = await tx.query('SELECT 1 FROM search_doc WHERE product_id = $1 FOR UPDATE', [productId]);
  if (locked.rowCount === 0) return;
  await subtractBrowseCounts(tx, [productId]);
  await tx.query(
    `UPDATE search_doc d
        SET rating_count = p.rating_count, rating_sum = p.rating_sum,
            facets = ARRAY(SELECT x FROM unnest(d.facets) WITH ORDINALITY u(x, i)
                            WHERE x NOT IN (SELECT id FROM facet_values WHERE kind = 'rating') ORDER BY i)
                     || ${ratingFacetIds('p.rating_count', 'p.rating_sum')}
       FROM products p
      WHERE p.id = d.product_id AND d.product_id = $1`,
    [productId],
  );
  await addBrowseCounts(tx, [productId]);
}

async function applyTermDelta(tx: Queryable, delta: Map<string, number>): Promise<void> {
  if (delta.size === 0) return;
  // Sorted, so concurrent writers lock shared terms in the same order and cannot deadlock.
  const terms = [...delta.keys()].sort();
  await tx.query(
    `INSERT INTO search_terms (term, sound, doc_count)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[]) ORDER BY 1
     ON CONFLICT (term) DO UPDATE SET doc_count = search_terms.doc_count + excluded.doc_count`,
    [terms, terms.map(soundKey), terms.map((t) => delta.get(t) ?? 0)],
  );
  await tx.query('DELETE FROM search_terms WHERE term = ANY($1::text[]) AND doc_count <= 0', [terms]);
}

/** Recounts the whole dictionary from search_doc: repairs drift, and is cheap after a bulk load. */
export async function rebuildSearchTerms(tx: Queryable): Promise<number> {
  const { rows } = await tx.query<{ term: string; n: number }>(
    'SELECT t AS term, count(*)::int AS n FROM search_doc, unnest(terms) t GROUP BY t',
  );
  await tx.query('DELETE FROM search_terms');
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    await tx.query(
      'INSERT INTO search_terms (term, sound, doc_count) SELECT * FROM unnest($1::text[], $2::text[], $3::int[])',
      [chunk.map((r) => r.term), chunk.map((r) => soundKey(r.term)), chunk.map((r) => r.n)],
    );
  }
  return rows.length;
}
