-- The kit's event tables, created in every service's own schema (ADR 0003).

-- Events written in the same transaction as the state change; the relay publishes them.
-- seq gives a tie-free publish order for rows of one transaction (they share created_at).
CREATE TABLE outbox (
  id           uuid PRIMARY KEY,
  seq          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  subject      text NOT NULL,
  payload      jsonb NOT NULL,
  headers      jsonb NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text
);
-- The relay only ever reads unpublished rows; keep that scan independent of history size.
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
-- Pruning of old published rows.
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

-- One row per (consumer, event) whose effect committed: a redelivery finds it and is a no-op.
CREATE TABLE inbox (
  consumer     text NOT NULL,
  event_id     uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

-- The last error of a message that is still being retried; becomes the dead letter's error.
CREATE TABLE delivery_failures (
  consumer   text NOT NULL,
  stream_seq bigint NOT NULL,
  event_id   text,
  subject    text NOT NULL,
  attempts   integer NOT NULL,
  last_error text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, stream_seq)
);

-- Messages a consumer gave up on. payload is the raw body (poison may not even be JSON).
CREATE TABLE dead_letters (
  id          bigserial PRIMARY KEY,
  consumer    text NOT NULL,
  stream_seq  bigint NOT NULL,
  event_id    text,
  subject     text NOT NULL,
  payload     text,
  headers     jsonb NOT NULL DEFAULT '{}',
  error       text NOT NULL,
  attempts    integer NOT NULL,
  reason      text NOT NULL CHECK (reason IN ('max_deliveries', 'terminated')),
  dead_at     timestamptz NOT NULL DEFAULT now(),
  redriven_at timestamptz,
  UNIQUE (consumer, stream_seq)
);
CREATE INDEX dead_letters_waiting ON dead_letters (consumer) WHERE redriven_at IS NULL;
