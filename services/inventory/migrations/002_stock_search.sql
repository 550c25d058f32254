-- Staff find stock rows by SKU prefix, case-insensitively (GET /stock?q=), and page every listing
-- of /stock in one order: lower(sku), then sku, then location, all byte-wise (C collation). With
-- the C collation a plain btree serves a LIKE 'prefix%' as a range scan (no text_pattern_ops
-- needed) AND hands rows back in the listing's order, so a page is an index walk that stops at
-- LIMIT: `q`, the keyset cursor and the order all use this one index.
-- No index serves `low=true` (available ≤ threshold): a partial index on on_hand/reserved would
-- end HOT updates on the hottest row of the platform (every reservation writes it), so the low
-- filter is applied along the same ordered walk.
CREATE INDEX stock_search ON stock ((lower(sku)) COLLATE "C", sku COLLATE "C", location COLLATE "C");
