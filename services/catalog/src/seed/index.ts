/**
 * Demo data for the catalog. The launcher calls `seedCatalog(db, { products, seed })` after
 * migrations, as the catalog's role; it is idempotent, so every `npm start` may call it.
 */
export { type SeedProduct, seedProduct } from './generate.ts';
export { type SeedOptions, type SeedResult, seedCatalog } from './load.ts';
export { BRANDS, CATEGORIES } from './taxonomy.ts';
