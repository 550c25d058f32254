export { type MigrationResult, migrate } from './migrate.ts';
export { createDb, type Db, type DbOptions, type Queryable, quoteIdent, withTimeout } from './pool.ts';
export { type ProvisionOptions, provisionSchema, urlForRole } from './provision.ts';
