-- Retention (ADR 0008) deletes cancelled_orders rows older than INBOX_RETENTION_DAYS in small batches.
CREATE INDEX cancelled_orders_cancelled_at ON cancelled_orders (cancelled_at);
