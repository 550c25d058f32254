-- Retention (ADR 0008) deletes webhook ids older than WEBHOOK_RETENTION_DAYS in small batches.
CREATE INDEX webhook_events_received_at ON webhook_events (received_at);
