-- Inventory: locations, stock per SKU per location, TTL reservations, POS batches, a movement ledger.

CREATE TABLE locations (
  code text PRIMARY KEY CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(code) <= 32),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('warehouse', 'store')),
  address jsonb NOT NULL,
  pickup_enabled boolean NOT NULL DEFAULT false,
  -- Allocation prefers lower values when several locations could serve an order.
  priority int NOT NULL DEFAULT 100 CHECK (priority BETWEEN 0 AND 1000),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- Only stores hand goods over the counter.
  CHECK (NOT pickup_enabled OR kind = 'store')
);

-- The truth about stock. The CHECKs make overselling impossible whatever the code does:
-- a write that would take on_hand or reserved below zero, or reserve more than is on hand, fails.
CREATE TABLE stock (
  sku text NOT NULL,
  location text NOT NULL REFERENCES locations (code),
  on_hand int NOT NULL DEFAULT 0,
  reserved int NOT NULL DEFAULT 0,
  -- stock.low.v1 fires when available falls to or below this.
  low_threshold int NOT NULL DEFAULT 5 CHECK (low_threshold BETWEEN 0 AND 1000000),
  -- The time of the last POS count applied: older counts and sales are already reflected.
  last_counted_at timestamptz,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (sku, location),
  CONSTRAINT stock_on_hand_non_negative CHECK (on_hand >= 0),
  CONSTRAINT stock_reserved_non_negative CHECK (reserved >= 0),
  CONSTRAINT stock_reserved_within_on_hand CHECK (reserved <= on_hand),
  CONSTRAINT stock_on_hand_bounded CHECK (on_hand <= 1000000000)
);
CREATE INDEX stock_by_location ON stock (location, sku);

CREATE TABLE reservations (
  id text PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('held', 'committed', 'released')),
  -- Why a released hold was released: asked for, or its TTL ran out.
  release_reason text CHECK (release_reason IN ('requested', 'expired')),
  -- The requested lines, sorted by sku: a retry with the same id is compared against them.
  lines jsonb NOT NULL,
  pickup_location text REFERENCES locations (code),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  committed_at timestamptz,
  released_at timestamptz,
  CHECK ((status = 'released') = (release_reason IS NOT NULL))
);
-- The sweeper's scan: only live holds, oldest expiry first.
CREATE INDEX reservations_expiring ON reservations (expires_at) WHERE status = 'held';

CREATE TABLE reservation_allocations (
  reservation_id text NOT NULL REFERENCES reservations (id),
  sku text NOT NULL,
  location text NOT NULL,
  qty int NOT NULL CHECK (qty > 0),
  PRIMARY KEY (reservation_id, sku, location)
);

-- Every change of on_hand, with its reason and what caused it (reservation, transfer, POS line, staff).
CREATE TABLE movements (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sku text NOT NULL,
  location text NOT NULL,
  delta int NOT NULL,
  reason text NOT NULL,
  ref text,
  actor text,
  note text,
  at timestamptz NOT NULL
);
CREATE INDEX movements_by_row ON movements (sku, location, id);

-- Client-keyed staff operations (adjustments, transfers): a retry with the same id replays the result.
CREATE TABLE operations (
  id text PRIMARY KEY,
  kind text NOT NULL,
  request jsonb NOT NULL,
  result jsonb NOT NULL,
  created_at timestamptz NOT NULL
);

-- POS batches: one row per (location, batch id); a retried batch replays the stored result.
CREATE TABLE pos_batches (
  location text NOT NULL REFERENCES locations (code),
  batch_id text NOT NULL,
  request_hash text NOT NULL,
  result jsonb,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (location, batch_id)
);

-- POS lines by their till-assigned id: a line re-sent in another batch is recognised and skipped.
CREATE TABLE pos_lines (
  location text NOT NULL,
  line_id text NOT NULL,
  batch_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('sale', 'count')),
  sku text NOT NULL,
  qty int NOT NULL,
  at timestamptz NOT NULL,
  outcome text NOT NULL,
  PRIMARY KEY (location, line_id)
);
-- A count subtracts the sales rung up after it that arrived before it.
CREATE INDEX pos_lines_sales ON pos_lines (location, sku, at) WHERE kind = 'sale' AND outcome = 'applied';
