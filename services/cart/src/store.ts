/**
 * The cart's SQL, one function per query, split by what it touches. Handlers import this module
 * as `store`; the functions take a Queryable so they run inside or outside a transaction.
 */
export * from './store-carts.ts';
export * from './store-promotions.ts';
export * from './store-redemptions.ts';
