import type { Broadcast, Logger, Outbox, Queryable } from '@storefront/kit';
import type { CatalogCache } from './cache.ts';
import type { Brand, Category, Product } from './domain.ts';

/**
 * What the catalog publishes (always through the outbox, in the transaction of the change) and
 * what it listens to: its own events, on every replica, to drop cached reads. It runs no durable
 * consumers yet.
 */

export function productCreated(outbox: Outbox, tx: Queryable, p: Product) {
  return outbox.add(tx, 'product.created.v1', { productId: p.id, slug: p.slug, name: p.name });
}

export function productUpdated(outbox: Outbox, tx: Queryable, p: Product, changed: string[], previousSlug?: string) {
  return outbox.add(tx, 'product.updated.v1', {
    productId: p.id,
    slug: p.slug,
    name: p.name,
    changed,
    ...(previousSlug && previousSlug !== p.slug ? { previousSlug } : {}),
  });
}

export function productDeleted(outbox: Outbox, tx: Queryable, p: Pick<Product, 'id' | 'slug'>) {
  return outbox.add(tx, 'product.deleted.v1', { productId: p.id, slug: p.slug });
}

export function priceChanged(
  outbox: Outbox,
  tx: Queryable,
  p: Pick<Product, 'id' | 'slug'>,
  change: { sku: string; currency: string; amount: number; previousAmount: number | null },
) {
  return outbox.add(tx, 'product.price-changed.v1', { productId: p.id, slug: p.slug, ...change });
}

export function categoryChanged(outbox: Outbox, tx: Queryable, c: Pick<Category, 'id' | 'slug'>) {
  return outbox.add(tx, 'category.changed.v1', { categoryId: c.id, slug: c.slug });
}

export function brandChanged(outbox: Outbox, tx: Queryable, b: Pick<Brand, 'id' | 'slug'>) {
  return outbox.add(tx, 'brand.changed.v1', { brandId: b.id, slug: b.slug });
}

export function reviewAdded(
  outbox: Outbox,
  tx: Queryable,
  p: { id: string; slug: string },
  review: { id: string; rating: number },
) {
  return outbox.add(tx, 'review.added.v1', {
    productId: p.id,
    slug: p.slug,
    reviewId: review.id,
    rating: review.rating,
  });
}

export const PRODUCT_SUBJECTS = [
  'product.created.v1',
  'product.updated.v1',
  'product.deleted.v1',
  'product.price-changed.v1',
  'review.added.v1',
] as const;

export const TAXONOMY_SUBJECTS = ['category.changed.v1', 'brand.changed.v1'] as const;

/**
 * Every replica drops what an event makes stale. At most once (a core NATS subscription): the
 * cache TTL covers an event missed during a reconnect.
 */
export function invalidateOnEvents(broadcast: Broadcast, cache: CatalogCache, log: Logger): void {
  broadcast.on(PRODUCT_SUBJECTS, async (event) => {
    const p = event.payload;
    const previousSlug = 'previousSlug' in p ? p.previousSlug : undefined;
    await cache.invalidateProducts([{ productId: p.productId, slug: p.slug, previousSlug }]);
    await cache.invalidateLists();
    log.debug({ subject: event.subject, productId: p.productId }, 'catalog cache invalidated');
  });
  broadcast.on(TAXONOMY_SUBJECTS, async (event) => {
    await cache.invalidateAll();
    log.debug({ subject: event.subject }, 'catalog cache invalidated');
  });
}
