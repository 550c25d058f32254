import { Conflict, DomainError } from '@storefront/kit';

/** A write named a brand, category or product that does not exist. */
export class UnknownReference extends DomainError {
  override readonly status = 422;
  override readonly code = 'unknown_reference';
  override readonly title = 'Unknown reference';
}

interface PgError {
  code?: string;
  constraint?: string;
}

const UNIQUE_MESSAGES: Record<string, string> = {
  products_slug_key: 'a product with this slug already exists',
  variants_sku_key: 'a variant with this sku already exists',
  categories_slug_key: 'a category with this slug already exists',
  categories_path_key: 'a category with this path already exists',
  brands_slug_key: 'a brand with this slug already exists',
};

/**
 * Constraint violations the database is the only reliable judge of (two writers racing for one
 * slug) become the 409/422 a client can act on; anything else is rethrown as it is.
 */
export function translatePgError(err: unknown): never {
  const e = err as PgError;
  if (e?.code === '23505') throw new Conflict(UNIQUE_MESSAGES[e.constraint ?? ''] ?? 'this already exists');
  if (e?.code === '23503') {
    if (e.constraint?.startsWith('products_brand')) throw new UnknownReference('the brand does not exist');
    if (e.constraint?.startsWith('products_category')) throw new UnknownReference('the category does not exist');
    if (e.constraint?.startsWith('categories_parent')) throw new UnknownReference('the parent category does not exist');
    throw new Conflict('this is still referenced by other records');
  }
  throw err;
}
