/**
 * Inventory's SQL, one function per query, split by what it touches. Functions take a Queryable
 * so they run inside or outside a transaction.
 */
export * from './store-locations.ts';
export * from './store-ops.ts';
export * from './store-pos.ts';
export * from './store-read.ts';
export * from './store-reservations.ts';
export * from './store-stock.ts';
