-- Refunds staff ask for on an order (goodwill, price adjustments, a refund the saga gave up on).
-- The id is the refund id payments sees, so an outcome finds its row; one refund per
-- (order, Idempotency-Key), request_hash says whether a repeat is the same request.
CREATE TABLE staff_refunds (
  id           uuid PRIMARY KEY,
  order_id     uuid NOT NULL REFERENCES orders (id),
  idem_key     text NOT NULL,
  request_hash text NOT NULL,
  amount       bigint NOT NULL CHECK (amount > 0),
  currency     text NOT NULL,
  reason       text NOT NULL,
  status       text NOT NULL CHECK (status IN ('requested', 'refunded', 'failed')),
  failure      text,
  requested_by text NOT NULL,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  UNIQUE (order_id, idem_key)
);
CREATE INDEX staff_refunds_by_order ON staff_refunds (order_id, created_at);
