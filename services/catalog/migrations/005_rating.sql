-- Shoppers filter by rating ("4 stars & up") and sort by it ("Top rated").

-- The average as search sorts it: exact numeric division, 0 for a product nobody reviewed yet (so
-- it sorts after every rated one). Generated, so it can never disagree with count and sum.
ALTER TABLE search_doc
  ADD COLUMN rating_avg numeric NOT NULL
    GENERATED ALWAYS AS (CASE WHEN rating_count > 0 THEN rating_sum::numeric / rating_count ELSE 0 END) STORED;

-- "Top rated" = average DESC, review count DESC, product_id ASC. Negated keys make that one
-- ascending order, so a page after a cursor is a single index range:
-- (-rating_avg, -rating_count, product_id) > (-avg, -count, id).
CREATE INDEX search_doc_rating ON search_doc ((-rating_avg), (-rating_count), product_id);

-- "N stars & up" is a facet value per level: a product carries ('rating', '', 'N') for every N in
-- 1..4 with average >= N, so the filter is containment and the counts come with the other facets
-- (search: unnest + GROUP BY; browse pages: facet_counts).
ALTER TABLE facet_values DROP CONSTRAINT facet_values_kind_check;
ALTER TABLE facet_values ADD CONSTRAINT facet_values_kind_check
  CHECK (kind IN ('category', 'brand', 'attr', 'stock', 'rating'));
INSERT INTO facet_values (kind, key, value)
VALUES ('rating', '', '1'), ('rating', '', '2'), ('rating', '', '3'), ('rating', '', '4')
ON CONFLICT DO NOTHING;

-- Backfill the rows that exist (store-search-doc.ts maintains them from here on).
UPDATE search_doc d
   SET facets = d.facets || ARRAY(SELECT fv.id FROM generate_series(1, 4) level
                                    JOIN facet_values fv ON fv.kind = 'rating' AND fv.key = '' AND fv.value = level::text
                                   WHERE d.rating_sum >= level * d.rating_count
                                   ORDER BY level)
 WHERE d.rating_count > 0;

-- Their browse counts: the new facet values per scope (0 = everything, else a category's facet id).
INSERT INTO facet_counts (scope, facet, n)
SELECT s.scope, fv.id, count(*)
  FROM search_doc d
  CROSS JOIN LATERAL (SELECT 0 AS scope
                      UNION ALL
                      SELECT c.id FROM unnest(d.facets) x JOIN facet_values c ON c.id = x AND c.kind = 'category') s
  JOIN facet_values fv ON fv.kind = 'rating' AND fv.id = ANY (d.facets)
 GROUP BY 1, 2
ON CONFLICT (scope, facet) DO UPDATE SET n = excluded.n;
