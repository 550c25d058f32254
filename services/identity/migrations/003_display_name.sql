-- An optional name to greet the customer by (sign-up or PATCH /me). Validated by the API (trimmed,
-- no control or bidirectional-override characters); the database only bounds it.
ALTER TABLE accounts ADD COLUMN display_name text
  CHECK (display_name IS NULL OR (length(display_name) BETWEEN 1 AND 80));
-- Sign-up keeps the chosen name with the verification link, as it does the password: it is set
-- only when the mailbox owner follows the link (someone else's sign-up cannot name the account).
ALTER TABLE one_time_tokens ADD COLUMN display_name text CHECK (display_name IS NULL OR length(display_name) <= 80);
