-- A cart closes as `ordered` when the order placed from it is announced (order.placed.v1) and opens
-- again when that order is cancelled (order.cancelled.v1), unless its customer has started another
-- cart meanwhile. order_id names the order that closed it; ordered_at is that event's time, so a
-- late or retried placement of an older order never takes over from a newer one.
ALTER TABLE carts ADD COLUMN order_id uuid;
ALTER TABLE carts ADD COLUMN ordered_at timestamptz;
CREATE INDEX carts_order ON carts (order_id) WHERE order_id IS NOT NULL;

-- Orders whose cancellation the cart has heard: an order.placed.v1 that arrives after its order's
-- cancellation (a retry or a redrive reorders events) must not close the cart again.
CREATE TABLE cancelled_orders (
  order_id uuid PRIMARY KEY,
  cancelled_at timestamptz NOT NULL
);
