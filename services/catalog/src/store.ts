/**
 * The catalog's SQL, one function per query, split by what it touches. Handlers import this
 * module as `store`; the functions take a Queryable so they run inside or outside a transaction.
 */

export * from './store-admin-list.ts';
export * from './store-browse-counts.ts';
export * from './store-errors.ts';
export * from './store-products.ts';
export * from './store-read.ts';
export * from './store-reviews.ts';
export * from './store-search.ts';
export * from './store-search-doc.ts';
export * from './store-search-words.ts';
export * from './store-stock.ts';
export * from './store-suggest.ts';
export * from './store-taxonomy.ts';
