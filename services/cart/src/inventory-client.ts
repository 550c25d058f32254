import { z } from '@storefront/kit';
import { type FetchLike, getJson, urlWith } from './upstream.ts';

/**
 * What the cart needs from inventory: how many of each SKU can still be sold. Advisory only —
 * the checkout's reservation is the real gate (ARCHITECTURE.md §6) — so callers may proceed
 * when inventory is down.
 *
 * Wire contract: `GET /availability?sku=A&sku=B` → `{ "items": [{ "sku": "A", "available": 3 }] }`.
 * A SKU missing from `items` is not stocked anywhere (0).
 */
export interface InventoryClient {
  /** Available quantity per asked SKU; throws UpstreamFailed when inventory cannot answer. */
  availability(skus: readonly string[]): Promise<Map<string, number>>;
}

const AvailabilityOut = z.object({
  items: z.array(z.object({ sku: z.string().max(64), available: z.number().int() })).max(1000),
});

const BATCH = 100;

export function httpInventory(opts: { baseUrl: string; timeoutMs: number; fetch?: FetchLike }): InventoryClient {
  return {
    async availability(skus) {
      const unique = [...new Set(skus)];
      const out = new Map<string, number>(unique.map((s) => [s, 0]));
      for (let i = 0; i < unique.length; i += BATCH) {
        const batch = unique.slice(i, i + BATCH);
        const url = urlWith(opts.baseUrl, '/availability', { sku: batch });
        const body = await getJson('inventory', url, AvailabilityOut, opts);
        for (const item of body.items) if (out.has(item.sku)) out.set(item.sku, Math.max(0, item.available));
      }
      return out;
    },
  };
}
