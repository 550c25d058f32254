/**
 * Identity's SQL, one function per query, grouped by table in store-*.ts. Every function takes a
 * Queryable (the pool or a transaction client) so flows decide what commits together.
 */
export * from './store-accounts.ts';
export * from './store-audit.ts';
export * from './store-keys.ts';
export * from './store-sessions.ts';
export * from './store-tokens.ts';
