-- Staff search (GET /admin/products?q=): products whose name, slug or a SKU contains each typed
-- word, in ANY status. search_doc holds published products only, so this reads products and
-- variants directly; trigram indexes serve ILIKE '%word%' (pg_trgm lives in `public`, see 001).
CREATE INDEX products_name_trgm ON products USING gin (name public.gin_trgm_ops);
CREATE INDEX products_slug_trgm ON products USING gin (slug public.gin_trgm_ops);
CREATE INDEX variants_sku_trgm ON variants USING gin (sku public.gin_trgm_ops);
