-- Faster browsing at 100k+ products.

-- The thumbnail (often a data URL of ~600 bytes) doubled the width of every search row that facet
-- scans read; result pages now take it from products for the rows they show.
ALTER TABLE search_doc DROP COLUMN image;

-- The price buckets of the price facet. Defined in SQL because the maintained counts below need
-- them; domain-search.ts priceBucketBounds says the same and a test holds the two together.
CREATE FUNCTION price_bucket_bounds(currency text) RETURNS bigint[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY(
    SELECT m * CASE WHEN currency IN ('JPY', 'KRW') THEN 1 WHEN currency IN ('BHD', 'KWD') THEN 1000 ELSE 100 END
      FROM unnest(ARRAY[0, 10, 25, 50, 100, 250, 500, 1000, 2500]::bigint[]) WITH ORDINALITY AS b(m, i)
     ORDER BY i);

-- Facet counts of "browse" requests (a category or the whole catalog, no words, no other filter),
-- kept up to date by every search_doc change, so a category page never aggregates its products.
-- scope: 0 = whole catalog, else a category's facet id; facet 0 holds the number of products.
CREATE TABLE facet_counts (
  scope int NOT NULL,
  facet int NOT NULL,
  n int NOT NULL,
  PRIMARY KEY (scope, facet)
);

-- The same for the price facet: products per (scope, currency, width_bucket index).
CREATE TABLE price_counts (
  scope int NOT NULL,
  currency text NOT NULL,
  bucket int NOT NULL,
  n int NOT NULL,
  PRIMARY KEY (scope, currency, bucket)
);

-- Backfill from the rows that exist (store-browse-counts.ts maintains them from here on).
INSERT INTO facet_counts (scope, facet, n)
SELECT s.scope, f.facet, count(*)
  FROM search_doc d
  CROSS JOIN LATERAL (SELECT 0 AS scope
                      UNION ALL
                      SELECT fv.id FROM unnest(d.facets) x JOIN facet_values fv ON fv.id = x AND fv.kind = 'category') s
  CROSS JOIN LATERAL (SELECT 0 AS facet UNION ALL SELECT unnest(d.facets)) f
 GROUP BY 1, 2;

INSERT INTO price_counts (scope, currency, bucket, n)
SELECT s.scope, p.key, width_bucket(p.value::bigint, price_bucket_bounds(p.key)), count(*)
  FROM search_doc d
  CROSS JOIN LATERAL (SELECT 0 AS scope
                      UNION ALL
                      SELECT fv.id FROM unnest(d.facets) x JOIN facet_values fv ON fv.id = x AND fv.kind = 'category') s
  CROSS JOIN LATERAL jsonb_each_text(d.prices) p
 GROUP BY 1, 2, 3;
