import { z } from '@storefront/kit';
import { type FetchLike, getJson, urlWith } from './upstream.ts';

/** What the cart needs from the catalog about a SKU, in one currency. */
export interface SkuInfo {
  readonly sku: string;
  readonly productId: string;
  readonly slug: string;
  readonly name: string;
  readonly image: string | null;
  /** The product's category and its ancestors (promotions restricted to a category cover its subtree). */
  readonly categoryIds: readonly string[];
  /** Integer minor units in the asked currency; null when the SKU has no price in it. */
  readonly price: number | null;
}

/** SKU → info, or null when the catalog does not sell it (unknown, unpublished, deleted). */
export interface SkuSource {
  lookup(skus: readonly string[], currency: string): Promise<Map<string, SkuInfo | null>>;
}

export interface CatalogClient extends SkuSource {
  /** Drops cached entries (on catalog events, heard by every replica). */
  forgetSku(sku: string): void;
  forgetProduct(productId: string): void;
}

const SkusOut = z.object({
  items: z
    .array(
      z.object({
        sku: z.string().max(64),
        productId: z.uuid(),
        slug: z.string().max(200),
        name: z.string().max(300),
        image: z.string().max(8192).nullable(),
        categoryIds: z.array(z.uuid()).max(50),
        price: z.object({ amount: z.number().int().nonnegative(), compareAt: z.number().int().nullable() }).nullable(),
      }),
    )
    .max(100),
});

const BATCH = 100;

/** The catalog's `GET /skus?sku=…&currency=…` (services/catalog/src/routes-skus.ts). */
export function httpCatalog(opts: { baseUrl: string; timeoutMs: number; fetch?: FetchLike }): SkuSource {
  return {
    async lookup(skus, currency) {
      const unique = [...new Set(skus)];
      const out = new Map<string, SkuInfo | null>(unique.map((s) => [s, null]));
      for (let i = 0; i < unique.length; i += BATCH) {
        const url = urlWith(opts.baseUrl, '/skus', { sku: unique.slice(i, i + BATCH), currency });
        const body = await getJson('catalog', url, SkusOut, opts);
        for (const it of body.items) {
          if (out.has(it.sku)) out.set(it.sku, { ...it, price: it.price?.amount ?? null });
        }
      }
      return out;
    },
  };
}

export interface CatalogCacheOptions {
  /** How long a known SKU is kept; events drop it sooner. */
  readonly ttlMs: number;
  /** How long "not sold" is kept (shorter: a product may be published any moment). */
  readonly negativeTtlMs?: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/**
 * An in-process cache in front of the catalog: every cart read re-prices its lines, and prices
 * change rarely. Keys are `currency|sku`. Price and product events drop entries on every
 * replica; a lookup that overlapped such an event returns its answer but does not store it.
 */
export function cachedCatalog(source: SkuSource, opts: CatalogCacheOptions): CatalogClient {
  const now = opts.now ?? Date.now;
  const max = opts.maxEntries ?? 20_000;
  const entries = new Map<string, { info: SkuInfo | null; expires: number }>();
  const bySku = new Map<string, Set<string>>();
  const byProduct = new Map<string, Set<string>>();
  let epoch = 0;

  const index = (map: Map<string, Set<string>>, k: string, key: string) => {
    const set = map.get(k) ?? new Set<string>();
    set.add(key);
    map.set(k, set);
  };
  const drop = (keys: Iterable<string> | undefined) => {
    for (const key of keys ?? []) entries.delete(key);
  };

  return {
    async lookup(skus, currency) {
      const out = new Map<string, SkuInfo | null>();
      const missing: string[] = [];
      const t = now();
      for (const sku of new Set(skus)) {
        const hit = entries.get(`${currency}|${sku}`);
        if (hit && hit.expires > t) out.set(sku, hit.info);
        else missing.push(sku);
      }
      if (missing.length === 0) return out;
      const started = epoch;
      const fetched = await source.lookup(missing, currency);
      for (const sku of missing) {
        const info = fetched.get(sku) ?? null;
        out.set(sku, info);
        if (epoch !== started || opts.ttlMs <= 0) continue;
        const key = `${currency}|${sku}`;
        if (entries.size >= max) {
          const oldest = entries.keys().next();
          if (!oldest.done) entries.delete(oldest.value);
        }
        entries.set(key, {
          info,
          expires: now() + (info ? opts.ttlMs : Math.min(opts.ttlMs, opts.negativeTtlMs ?? 5_000)),
        });
        // Only known SKUs are indexed: the indexes stay bounded by the catalog, not by what clients send.
        if (info) {
          index(bySku, sku, key);
          index(byProduct, info.productId, key);
        }
      }
      return out;
    },
    forgetSku(sku) {
      epoch++;
      drop(bySku.get(sku));
      bySku.delete(sku);
    },
    forgetProduct(productId) {
      epoch++;
      drop(byProduct.get(productId));
      byProduct.delete(productId);
    },
  };
}
