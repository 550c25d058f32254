-- Retention (ADR 0008) deletes carrier webhook ids older than WEBHOOK_RETENTION_DAYS in small batches.
CREATE INDEX webhook_receipts_received_at ON webhook_receipts (received_at);
