-- Retention (ADR 0008) deletes inbox rows older than INBOX_RETENTION_DAYS in small batches; the
-- index lets each batch find them without scanning the table.
CREATE INDEX inbox_processed_at ON inbox (processed_at);
