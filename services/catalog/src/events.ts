import type { Clock } from '@storefront/contracts';
import type { Broadcast, Bus, Logger, Outbox, Queryable } from '@storefront/kit';
import type { CatalogCache } from './cache.ts';
import type { Brand, Category, Product } from './domain.ts';
import type { Staff } from './staff.ts';
import { applyStockLevel, stockVersion } from './stock.ts';

/**
 * What the catalog publishes (always through the outbox, in the transaction of the change: its
 * own changes, and every staff change as audit.recorded.v1) and
 * what it listens to: its own events, on every replica, to drop cached reads; and inventory's
 * stock.changed.v1, through a durable consumer, for availability.
 */

export function productCreated(outbox: Outbox, tx: Queryable, p: Product) {
  return outbox.add(tx, 'product.created.v1', { productId: p.id, slug: p.slug, name: p.name });
}

export function productUpdated(
  outbox: Outbox,
  tx: Queryable,
  p: Pick<Product, 'id' | 'slug' | 'name'>,
  changed: string[],
  previousSlug?: string,
) {
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

/**
 * A staff change for identity's audit log (audit.recorded.v1), in the change's transaction: it is
 * recorded exactly when the change commits.
 */
export function audited(
  outbox: Outbox,
  tx: Queryable,
  staff: Staff,
  a: { action: string; target: { type: string; id: string }; at: Date; details?: Record<string, unknown> },
) {
  return outbox.add(tx, 'audit.recorded.v1', {
    service: 'catalog',
    action: a.action,
    actor: { id: staff.accountId, type: 'account' },
    target: a.target,
    outcome: 'success',
    occurredAt: a.at.toISOString(),
    ...(staff.requestId ? { requestId: staff.requestId.slice(0, 128) } : {}),
    ...(a.details ? { details: a.details } : {}),
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

/**
 * Inventory's per-location levels → the in-stock flag and facet (stock.ts). A flip is announced as
 * product.updated.v1 (`changed: ['inStock']`) in the same transaction, so every replica's cache
 * (and the gateway's) drops the product and the lists once it is committed. The inbox makes a
 * redelivery a no-op; versions make an older event harmless, so handlers may run in parallel.
 */
export function consumeStock(bus: Bus, outbox: Outbox, clock: Clock): void {
  bus.subscribe(
    'stock',
    ['stock.changed.v1'],
    async (event, ctx) => {
      const { sku, location, available } = event.payload;
      const level = { sku, location, available, version: stockVersion(event) };
      const flipped = await applyStockLevel(ctx.tx, level, clock());
      if (flipped) await productUpdated(outbox, ctx.tx, flipped, ['inStock']);
    },
    { concurrency: 4 },
  );
}
