-- Cart: guest and customer carts, their lines, promotions and their redemptions.

-- A cart belongs either to a customer (customer_id) or to whoever holds its secret (token_hash,
-- sha256 of a 256-bit token; the token itself is never stored).
CREATE TABLE carts (
  id uuid PRIMARY KEY,
  customer_id text,
  token_hash text,
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'merged', 'ordered')),
  merged_into uuid REFERENCES carts (id),
  code text,
  shipping_option text,
  tax_region text,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((customer_id IS NULL) <> (token_hash IS NULL))
);
-- One open cart per customer: sign-in on two devices converges on the same cart.
CREATE UNIQUE INDEX carts_open_per_customer ON carts (customer_id) WHERE status = 'open' AND customer_id IS NOT NULL;
-- For the abandonment sweep (open carts untouched for a while).
CREATE INDEX carts_open_updated ON carts (updated_at) WHERE status = 'open';

CREATE TABLE cart_lines (
  cart_id uuid NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
  sku text NOT NULL,
  product_id uuid NOT NULL,
  quantity int NOT NULL CHECK (quantity > 0),
  -- The unit price the shopper saw when adding (or last acknowledged), in the cart's currency.
  unit_price bigint NOT NULL CHECK (unit_price >= 0),
  added_at timestamptz NOT NULL,
  PRIMARY KEY (cart_id, sku)
);

CREATE TABLE promotions (
  id uuid PRIMARY KEY,
  -- Upper case; NULL for an automatic promotion.
  code text UNIQUE CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{2,31}$'),
  name text NOT NULL,
  -- {"kind":"percentage","percentBp":1000} | {"kind":"fixed","amount":500} | {"kind":"free_shipping"}
  -- | {"kind":"buy_x_get_y","buy":2,"get":1,"discountBp":10000}; validated by the service's schema.
  effect jsonb NOT NULL,
  currency text CHECK (currency ~ '^[A-Z]{3}$'),
  min_subtotal bigint CHECK (min_subtotal >= 0),
  product_ids uuid[] NOT NULL DEFAULT '{}',
  category_ids uuid[] NOT NULL DEFAULT '{}',
  customer_only boolean NOT NULL DEFAULT false,
  starts_at timestamptz,
  ends_at timestamptz,
  usage_limit int CHECK (usage_limit > 0),
  per_customer_limit int CHECK (per_customer_limit > 0),
  -- Counted by redemptions under a conditional UPDATE, so concurrent redeemers never pass the limit.
  used_count int NOT NULL DEFAULT 0 CHECK (used_count >= 0),
  active boolean NOT NULL DEFAULT true,
  created_by text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX promotions_automatic ON promotions (created_at) WHERE code IS NULL AND active;
CREATE INDEX promotions_list ON promotions (created_at DESC, id DESC);

-- One row per (promotion, order): the idempotency key of a redemption.
CREATE TABLE promotion_redemptions (
  promotion_id uuid NOT NULL REFERENCES promotions (id),
  order_id uuid NOT NULL,
  customer_id text,
  status text NOT NULL CHECK (status IN ('redeemed', 'released')),
  discount bigint CHECK (discount >= 0),
  currency text,
  redeemed_at timestamptz NOT NULL,
  released_at timestamptz,
  PRIMARY KEY (promotion_id, order_id)
);

-- Per-customer counts, bumped by a conditional upsert in the redemption's transaction.
CREATE TABLE promotion_customer_uses (
  promotion_id uuid NOT NULL REFERENCES promotions (id),
  customer_id text NOT NULL,
  uses int NOT NULL CHECK (uses >= 0),
  PRIMARY KEY (promotion_id, customer_id)
);
