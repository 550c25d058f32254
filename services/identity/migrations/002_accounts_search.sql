-- Staff search accounts by email prefix in byte order (GET /accounts): a C-collated index makes
-- the prefix a range scan and the keyset pagination (email after the cursor) an index walk.
CREATE INDEX accounts_email_c ON accounts (email COLLATE "C");
-- An account's detail shows its last sign-in (newest session, revoked or not).
CREATE INDEX sessions_account ON sessions (account_id, created_at);
