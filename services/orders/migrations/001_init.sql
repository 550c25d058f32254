-- Orders: a snapshot of what was bought and at what price (integer minor units), never re-priced.
CREATE TABLE orders (
  id              uuid PRIMARY KEY,
  number          text NOT NULL UNIQUE,
  customer_id     text,
  email           text,
  cart_id         uuid NOT NULL,
  -- Idempotency: one order per (caller scope, key); request_hash says whether a repeat is the same request.
  idem_scope      text NOT NULL,
  idem_key        text NOT NULL,
  request_hash    text NOT NULL,
  status          text NOT NULL,
  status_reason   text,
  action_url      text,
  currency        text NOT NULL,
  lines           jsonb NOT NULL,
  promotions      jsonb NOT NULL,
  totals          jsonb NOT NULL,
  address         jsonb NOT NULL,
  shipping_method text NOT NULL,
  payment_method  text NOT NULL,
  return_url      text NOT NULL,
  shipments       jsonb NOT NULL DEFAULT '[]',
  refunded        bigint NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  confirmed_at    timestamptz,
  cancelled_at    timestamptz,
  shipped_at      timestamptz,
  delivered_at    timestamptz,
  UNIQUE (idem_scope, idem_key)
);
-- A cart becomes at most one live order; after a cancellation it may be checked out again.
CREATE UNIQUE INDEX orders_one_live_per_cart ON orders (cart_id) WHERE status <> 'cancelled';
CREATE INDEX orders_by_customer ON orders (customer_id, id DESC) WHERE customer_id IS NOT NULL;
CREATE INDEX orders_by_email ON orders (lower(email), id DESC);
CREATE INDEX orders_by_status ON orders (status, id DESC);

-- The checkout saga, one row per order. Every transition is UPDATE … WHERE order_id = $1 AND
-- step = $expected, in the transaction that writes the next command to the outbox.
CREATE TABLE sagas (
  order_id    uuid PRIMARY KEY REFERENCES orders (id),
  step        text NOT NULL,
  state       text NOT NULL CHECK (state IN ('running', 'compensating', 'done')),
  attempts    integer NOT NULL DEFAULT 0,
  -- When the current step gives up (forward steps) and compensation starts.
  deadline    timestamptz,
  -- When the sweeper re-sends the current step's command if no answer came.
  retry_at    timestamptz,
  last_error  text,
  version     integer NOT NULL DEFAULT 1,
  -- Ids and facts the steps need: reservationId, paymentId, allocations, payment state, cancel reason.
  data        jsonb NOT NULL,
  updated_at  timestamptz NOT NULL
);
CREATE INDEX sagas_due ON sagas (retry_at) WHERE state <> 'done';

-- Promotion uses to count (redeem) or give back (release) at the cart service, over HTTP, retried.
CREATE TABLE promotion_tasks (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id     uuid NOT NULL REFERENCES orders (id),
  promotion_id text NOT NULL,
  action       text NOT NULL CHECK (action IN ('redeem', 'release')),
  outcome      text,
  attempts     integer NOT NULL DEFAULT 0,
  next_at      timestamptz NOT NULL,
  done_at      timestamptz,
  UNIQUE (order_id, promotion_id, action)
);
CREATE INDEX promotion_tasks_due ON promotion_tasks (next_at) WHERE done_at IS NULL;

CREATE TABLE order_notes (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id   uuid NOT NULL REFERENCES orders (id),
  author     text,
  body       text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX order_notes_by_order ON order_notes (order_id, id);

-- Returns (RMA): requested → approved | rejected → label_created → received → refunding → refunded.
CREATE TABLE returns (
  id              uuid PRIMARY KEY,
  order_id        uuid NOT NULL REFERENCES orders (id),
  customer_id     text,
  status          text NOT NULL,
  lines           jsonb NOT NULL,
  to_location     text,
  label           jsonb,
  refund_id       uuid,
  refund_amount   bigint,
  refund_shipping boolean NOT NULL DEFAULT false,
  restock_location text,
  restocked       boolean NOT NULL DEFAULT false,
  decided_by      text,
  note            text,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX returns_by_order ON returns (order_id, created_at);
CREATE INDEX returns_by_status ON returns (status, id DESC);
