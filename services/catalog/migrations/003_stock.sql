-- Availability from inventory's stock.changed.v1 events (stock.ts): the last known level of each
-- SKU at each location. No foreign key to variants: an event may come before its variant exists,
-- and a SKU's stock outlives its variant in inventory anyway.
CREATE TABLE stock_levels (
  sku text NOT NULL,
  location text NOT NULL,
  available int NOT NULL CHECK (available >= 0),
  -- The event's version (inventory's clock in microseconds under the row's lock; 0 for demo
  -- seeds): an older event never overwrites a newer level.
  version bigint NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (sku, location)
);

-- In stock = some variant has available stock at some location. Search rows carry it as a
-- column (for result cards) and as a facet value (for the filter and its count).
ALTER TABLE search_doc ADD COLUMN in_stock boolean NOT NULL DEFAULT false;

ALTER TABLE facet_values DROP CONSTRAINT facet_values_kind_check;
ALTER TABLE facet_values ADD CONSTRAINT facet_values_kind_check CHECK (kind IN ('category', 'brand', 'attr', 'stock'));
INSERT INTO facet_values (kind, key, value) VALUES ('stock', '', 'in') ON CONFLICT DO NOTHING;
