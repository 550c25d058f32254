export { type MigrationResult, migrate } from './migrate.ts';
export { createDb, type Db, type DbOptions, type Queryable, quoteIdent, withTimeout } from './pool.ts';
export { type ProvisionOptions, provisionSchema, urlForRole } from './provision.ts';
export {
  createRetention,
  type Retention,
  type RetentionOptions,
  type RetentionPolicy,
  type RetentionTarget,
  type RunResult,
  retentionLockKey,
  retentionTarget,
  type ServiceTable,
  startRetention,
} from './retention.ts';
export {
  EVENT_DEDUPE_HORIZON_MS,
  type RetentionConfig,
  retentionConfigShape,
  WEBHOOK_RETRY_HORIZON_MS,
} from './retention-config.ts';
