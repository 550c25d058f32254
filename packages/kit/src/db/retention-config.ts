import { z } from 'zod';
import { STREAM_MAX_AGE_MS } from '../bus/provision.ts';
import { OUTBOX_RETENTION_DAYS } from '../bus/relay-batch.ts';

export const DAY_MS = 86_400_000;

/**
 * The horizons the dedupe tables protect (ADR 0008). A row may only go once nothing that could
 * still arrive would need it:
 * - inbox / event bookkeeping: a message can be redelivered while the stream holds it (max_age),
 *   and the outbox keeps published rows that long for re-feeding the broker with their ids.
 * - webhook ids: Stripe retries a webhook for up to 3 days in live mode.
 */
export const EVENT_DEDUPE_HORIZON_MS = Math.max(STREAM_MAX_AGE_MS, OUTBOX_RETENTION_DAYS * DAY_MS);
export const WEBHOOK_RETRY_HORIZON_MS = 3 * DAY_MS;

/** The smallest whole number of days strictly longer than a horizon. */
const daysAbove = (ms: number) => Math.floor(ms / DAY_MS) + 1;

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** Part of the kit's data config: how long dedupe rows are kept and how pruning paces itself. */
export const retentionConfigShape = {
  /** Days inbox rows (and event-ordering bookkeeping such as the cart's cancelled_orders) are kept. */
  INBOX_RETENTION_DAYS: int(30, daysAbove(EVENT_DEDUPE_HORIZON_MS), 3650),
  /** Days provider/carrier webhook event ids are kept for dedupe. */
  WEBHOOK_RETENTION_DAYS: int(30, daysAbove(WEBHOOK_RETRY_HORIZON_MS), 3650),
  /** Seconds between pruning runs (one replica per service runs each time). */
  RETENTION_INTERVAL_SECONDS: int(3_600, 1, 7 * 86_400),
  /** Rows per DELETE: small statements keep locks and WAL bursts short. */
  RETENTION_BATCH_SIZE: int(1_000, 1, 50_000),
  /** Turn pruning off (the tables then grow without bound). */
  RETENTION_ENABLED: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default('true')
    .transform((v) => v === 'true' || v === '1' || v === 'yes'),
};

const retentionConfig = z.object(retentionConfigShape);
export type RetentionConfig = z.infer<typeof retentionConfig>;
