import type { EventEnvelope } from '@storefront/contracts';
import type { Queryable } from '@storefront/kit';
import type { Product } from './domain.ts';
import * as store from './store.ts';

/**
 * Availability from inventory's stock.changed.v1 (events.ts subscribes). The catalog keeps the
 * last level of each SKU at each location; a SKU is in stock when some location has some
 * available, a product when some variant is. Events may come twice or out of order: the level
 * with the highest version wins, and an older one changes nothing.
 */

export interface StockLevel {
  readonly sku: string;
  readonly location: string;
  readonly available: number;
  readonly version: number;
}

/**
 * The event's version, or for an event from before inventory stamped one, the time it was
 * written (microseconds too, so the two compare; a stamped version is always the later one).
 */
export function stockVersion(event: Pick<EventEnvelope<'stock.changed.v1'>, 'payload' | 'occurredAt'>): number {
  return event.payload.version ?? Date.parse(event.occurredAt) * 1000;
}

/**
 * Records one level in the caller's transaction. When the SKU's availability flips, the product's
 * search row is rebuilt (in-stock facet and flag) and the product is returned so the caller can
 * announce the change; otherwise (nothing flipped, an older event, a SKU the catalog does not
 * sell) null.
 */
export async function applyStockLevel(
  tx: Queryable,
  level: StockLevel,
  now: Date,
): Promise<Pick<Product, 'id' | 'slug' | 'name'> | null> {
  // One decision per SKU at a time, or two replicas each emptying one location could both think
  // the other still had stock.
  await store.lockSkus(tx, [level.sku]);
  const before = await store.skuInStock(tx, level.sku);
  if (!(await store.upsertStockLevel(tx, level, now))) return null;
  if ((await store.skuInStock(tx, level.sku)) === before) return null;
  const product = await store.productOfSku(tx, level.sku);
  if (product) await store.refreshSearchDocs(tx, [product.id]);
  return product;
}
