-- Identity: accounts, credentials, sessions and refresh-token families, signing keys, audit log.

CREATE TABLE accounts (
  id                uuid PRIMARY KEY,
  -- Stored normalized (trimmed, lower case), so equality is the uniqueness rule.
  email             text NOT NULL UNIQUE CHECK (email = lower(btrim(email)) AND length(email) <= 254),
  email_verified_at timestamptz,
  -- argon2id PHC string; NULL for an invited staff member who has not set a password yet.
  password_hash     text,
  roles             text[] NOT NULL DEFAULT '{customer}'
                    CHECK (cardinality(roles) > 0
                      AND roles <@ ARRAY['customer', 'support', 'merchandiser', 'fulfillment', 'admin']),
  -- TOTP secret, sealed (see secrets.ts); mfa_last_step refuses a code's reuse.
  mfa_secret        text,
  mfa_enabled_at    timestamptz,
  mfa_last_step     bigint,
  disabled_at       timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_admins ON accounts (id) WHERE 'admin' = ANY (roles);

-- Email verification and password reset links: only the SHA-256 of the token is kept.
CREATE TABLE one_time_tokens (
  token_hash bytea PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  purpose    text NOT NULL CHECK (purpose IN ('verify-email', 'reset-password')),
  -- Sign-up: the password chosen with this link, set only when the link is followed, so an
  -- unverified sign-up by someone else cannot fix the password of the mailbox owner's account.
  password_hash text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX one_time_tokens_open ON one_time_tokens (account_id, purpose) WHERE used_at IS NULL;

CREATE TABLE recovery_codes (
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  code_hash  bytea NOT NULL,
  used_at    timestamptz,
  PRIMARY KEY (account_id, code_hash)
);

-- A session is a refresh-token family: every rotation stays in it, reuse revokes all of it.
CREATE TABLE sessions (
  id            uuid PRIMARY KEY,
  account_id    uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  amr           text[] NOT NULL,
  mfa           boolean NOT NULL,
  mode          text NOT NULL CHECK (mode IN ('bearer', 'cookie')),
  -- Cookie mode: base64url(sha256(csrf token)); also the `csrf` claim of its access tokens.
  csrf_hash     text,
  ip            text,
  user_agent    text,
  created_at    timestamptz NOT NULL,
  last_used_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  revoke_reason text
);
CREATE INDEX sessions_live ON sessions (account_id, created_at) WHERE revoked_at IS NULL;

CREATE TABLE refresh_tokens (
  token_hash bytea PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  generation integer NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  UNIQUE (session_id, generation)
);

-- ES256 signing keys. The private JWK is sealed; the public one is what /.well-known/jwks.json serves.
CREATE TABLE signing_keys (
  kid          text PRIMARY KEY,
  alg          text NOT NULL DEFAULT 'ES256' CHECK (alg = 'ES256'),
  public_jwk   jsonb NOT NULL,
  private_jwk  text NOT NULL,
  created_at   timestamptz NOT NULL,
  activates_at timestamptz NOT NULL
);

-- Append-only: every security event and staff action, from identity and (via audit.recorded.v1)
-- from other services. seq orders what was recorded; at is when it happened.
CREATE TABLE audit_log (
  seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id          uuid NOT NULL UNIQUE,
  at          timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  service     text NOT NULL,
  action      text NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('success', 'failure')),
  actor_type  text NOT NULL CHECK (actor_type IN ('account', 'system', 'anonymous')),
  actor_id    text,
  target_type text,
  target_id   text,
  request_id  text,
  ip          text,
  details     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
