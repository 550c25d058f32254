-- The sandbox provider's own records: what a real provider keeps on its side. Payments code never
-- reads these tables; only src/sandbox/ does (as the "provider"), on its own connections.

CREATE TABLE sandbox_payment_methods (
  id         text PRIMARY KEY,
  brand      text NOT NULL,
  last4      text NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
  exp_month  integer NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
  exp_year   integer NOT NULL,
  -- Which test-card behaviour the number selected; the number itself is never stored.
  behaviour  text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE sandbox_intents (
  id              text PRIMARY KEY,
  payment_id      uuid NOT NULL UNIQUE,
  order_id        uuid NOT NULL,
  amount          bigint NOT NULL,
  currency        text NOT NULL,
  status          text NOT NULL CHECK (status IN ('requires_action', 'requires_capture', 'succeeded',
                    'requires_payment_method', 'canceled')),
  amount_captured bigint NOT NULL DEFAULT 0,
  amount_refunded bigint NOT NULL DEFAULT 0,
  payment_method  text NOT NULL,
  return_url      text NOT NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);

CREATE TABLE sandbox_refunds (
  id         text PRIMARY KEY,
  intent_id  text NOT NULL REFERENCES sandbox_intents (id),
  refund_id  uuid NOT NULL,
  amount     bigint NOT NULL,
  status     text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  created_at timestamptz NOT NULL
);

-- Idempotency: the first response for a key is replayed; another request under the key is refused.
CREATE TABLE sandbox_requests (
  idempotency_key text PRIMARY KEY,
  fingerprint     text NOT NULL,
  response        jsonb NOT NULL,
  created_at      timestamptz NOT NULL
);

-- The processing-error card fails this many times per key before it goes through.
CREATE TABLE sandbox_flaky (
  idempotency_key text PRIMARY KEY,
  failures        integer NOT NULL
);

-- One row per rendered 3-D Secure page: the form's single-use token, hashed.
CREATE TABLE sandbox_challenges (
  token_hash bytea PRIMARY KEY,
  intent_id  text NOT NULL REFERENCES sandbox_intents (id),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);

-- Webhook callbacks waiting to be delivered (signed at send time, retried with backoff).
CREATE TABLE sandbox_webhooks (
  id              text PRIMARY KEY,
  seq             bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  type            text NOT NULL,
  body            jsonb NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  delivered_at    timestamptz,
  gave_up_at      timestamptz,
  last_error      text
);
CREATE INDEX sandbox_webhooks_due ON sandbox_webhooks (next_attempt_at) WHERE delivered_at IS NULL AND gave_up_at IS NULL;
