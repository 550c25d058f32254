-- Payments: one row per payment the orders saga asked for, its refunds, the webhook events already
-- applied, and the append-only hash-chained ledger of every money movement.

CREATE TABLE payments (
  id              uuid PRIMARY KEY,
  order_id        uuid NOT NULL,
  -- From the authorize command; reads by customers are scoped to it.
  customer_id     text,
  provider        text NOT NULL CHECK (provider IN ('sandbox', 'stripe')),
  -- The provider's object (Stripe PaymentIntent id, sandbox intent id); NULL until it answered.
  provider_ref    text,
  -- 'pending' lives only inside the authorizing transaction (inserted, then moved on before commit).
  state           text NOT NULL CHECK (state IN ('pending', 'requires_action', 'authorized', 'captured',
                    'partially_refunded', 'refunded', 'voided', 'declined', 'failed')),
  currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  amount          bigint NOT NULL CHECK (amount > 0),
  amount_captured bigint NOT NULL DEFAULT 0,
  amount_refunded bigint NOT NULL DEFAULT 0,
  -- The token the browser got from the provider (never a card number), and what it showed.
  payment_method  text NOT NULL,
  card_brand      text,
  card_last4      text CHECK (card_last4 ~ '^[0-9]{4}$'),
  return_url      text NOT NULL,
  action_url      text,
  decline_code    text,
  decline_message text,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  CONSTRAINT payments_amounts CHECK (amount_captured BETWEEN 0 AND amount AND amount_refunded BETWEEN 0 AND amount_captured)
);
CREATE INDEX payments_order ON payments (order_id, created_at);
CREATE UNIQUE INDEX payments_provider_ref ON payments (provider, provider_ref) WHERE provider_ref IS NOT NULL;

CREATE TABLE refunds (
  id            uuid PRIMARY KEY,
  payment_id    uuid NOT NULL REFERENCES payments (id),
  amount        bigint NOT NULL CHECK (amount > 0),
  currency      text NOT NULL,
  -- pending: the provider took it but has not settled it (a webhook finishes it).
  state         text NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
  provider_ref  text,
  reason        text NOT NULL,
  failure       text,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);
CREATE INDEX refunds_payment ON refunds (payment_id, created_at);

-- Provider webhook events already applied, inserted in the transaction of their effect.
CREATE TABLE webhook_events (
  provider    text NOT NULL,
  event_id    text NOT NULL,
  type        text NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (provider, event_id)
);

-- The ledger. Each entry's hash = sha256(prev_hash || canonical JSON of the entry); appends take the
-- row lock on ledger_head, so the chain has no forks and seq no gaps.
CREATE TABLE ledger (
  seq          bigint PRIMARY KEY CHECK (seq > 0),
  id           uuid NOT NULL UNIQUE,
  at           timestamptz NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('authorization', 'capture', 'refund', 'void')),
  payment_id   uuid NOT NULL,
  order_id     uuid NOT NULL,
  refund_id    uuid,
  amount       bigint NOT NULL CHECK (amount >= 0),
  currency     text NOT NULL,
  provider     text NOT NULL,
  provider_ref text,
  prev_hash    text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash         text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX ledger_payment ON ledger (payment_id);

CREATE TABLE ledger_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  seq       bigint NOT NULL,
  hash      text NOT NULL
);
INSERT INTO ledger_head (singleton, seq, hash) VALUES (true, 0, repeat('0', 64));

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the payment ledger is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER ledger_no_update BEFORE UPDATE OR DELETE ON ledger
  FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
