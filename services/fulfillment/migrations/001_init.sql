-- Fulfillment: one row per order we were asked to ship, its shipments (outbound parcels and
-- return parcels), their tracking timeline, the carrier webhooks already applied, and the
-- development carrier's own state (what a real carrier keeps on its side).

-- The outcome of shipment.create-requested.v1 per order, so a redelivered or re-sent command
-- answers with the same result instead of buying new labels.
CREATE TABLE fulfillment_orders (
  order_id uuid PRIMARY KEY,
  -- Whose shipments these are (the account id from the command; null for a guest order).
  customer_id text,
  state text NOT NULL CHECK (state IN ('created', 'failed', 'cancelled')),
  reason text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE shipments (
  id uuid PRIMARY KEY,
  order_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('outbound', 'return')),
  -- outbound: the parcel's position in the command (stable across re-sends); return: null.
  parcel_index int,
  return_id uuid UNIQUE,
  customer_id text,
  -- outbound: where it ships from; return: where it goes back to.
  location text NOT NULL,
  lines jsonb NOT NULL,
  -- outbound: the delivery address; return: the customer's address it is collected from.
  address jsonb NOT NULL,
  method text NOT NULL,
  carrier text NOT NULL,
  tracking_number text NOT NULL,
  label_url text NOT NULL,
  status text NOT NULL CHECK (
    status IN ('label_created', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'cancelled')
  ),
  delivered_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (carrier, tracking_number),
  CHECK ((kind = 'outbound') = (parcel_index IS NOT NULL)),
  CHECK ((kind = 'return') = (return_id IS NOT NULL))
);
CREATE UNIQUE INDEX shipments_parcel ON shipments (order_id, parcel_index) WHERE kind = 'outbound';
CREATE INDEX shipments_by_order ON shipments (order_id, id);
-- Staff lists: newest first, optionally by status.
CREATE INDEX shipments_by_status ON shipments (status, id DESC);

-- The tracking timeline shown to customers and staff. Every report is kept, including late or
-- repeated ones that did not move the status (applied = false).
CREATE TABLE tracking_events (
  id bigserial PRIMARY KEY,
  shipment_id uuid NOT NULL REFERENCES shipments (id),
  status text NOT NULL,
  at timestamptz NOT NULL,
  detail text,
  source text NOT NULL CHECK (source IN ('carrier', 'fulfillment')),
  applied boolean NOT NULL,
  recorded_at timestamptz NOT NULL
);
CREATE INDEX tracking_events_by_shipment ON tracking_events (shipment_id, at, id);

-- Carrier webhook events already applied, keyed by the carrier's own event id: a carrier that
-- retries (or sends twice) finds its event here and changes nothing.
CREATE TABLE webhook_receipts (
  carrier text NOT NULL,
  event_id text NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (carrier, event_id)
);

-- The development carrier's side: parcels it has labelled. A retried label request with the
-- same reference gets the same parcel back, unless that one was cancelled.
CREATE TABLE devcarrier_parcels (
  tracking_number text PRIMARY KEY,
  reference text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('outbound', 'return')),
  status text NOT NULL,
  origin text NOT NULL,
  destination text NOT NULL,
  label_url text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX devcarrier_parcels_reference ON devcarrier_parcels (reference) WHERE status <> 'cancelled';

-- The development carrier's scheduler: one pending step per parcel. A runner takes due rows with
-- FOR UPDATE SKIP LOCKED (several replicas side by side), moves the parcel, and posts the
-- webhook; a failed post is retried with backoff. Persisted, so a restart loses no progress.
CREATE TABLE carrier_jobs (
  id bigserial PRIMARY KEY,
  carrier text NOT NULL,
  tracking_number text NOT NULL,
  -- The status this step reports, and the event id the webhook carries (stable across retries).
  status text NOT NULL,
  event_id text NOT NULL UNIQUE,
  occurred_at timestamptz,
  due_at timestamptz NOT NULL,
  attempts int NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL
);
CREATE INDEX carrier_jobs_due ON carrier_jobs (due_at, id);
CREATE INDEX carrier_jobs_by_tracking ON carrier_jobs (tracking_number);
