import { createHash } from 'node:crypto';
import type { Logger, Metrics, Redis } from '@storefront/kit';

/**
 * Read-through cache for catalog reads: an in-process map in front of Redis in front of Postgres.
 *
 * - Product entries live under `p:<gen>:<id>` and `p:<gen>:<slug>`; the product events name both
 *   (and the old slug), so a product event deletes exactly those keys. A brand or category change
 *   touches many products, so it bumps the product generation instead (INCR in Redis), orphaning
 *   every old entry at once.
 * - Everything else (search pages, listings, the category tree, brands, suggestions) depends on
 *   many products, so it lives under a list generation `l:<gen>:<hash>` bumped by every event.
 * - Every replica hears every catalog event (broadcast) and invalidates for itself; the writing
 *   replica also invalidates right after its commit, so its next read is fresh.
 * - A load that overlapped an invalidation is returned but not stored, so a slow read of old rows
 *   cannot re-fill the cache after the event; requests arriving after the event do not join it.
 * - An entry past its TTL (but not invalidated) is still answered for another TTL while one
 *   background load refreshes it: hot pages never make a shopper wait. A missed event is thus
 *   bounded by twice the TTL. A TTL bounds anything that still slips through
 *   (an event missed during a NATS reconnect).
 * - Redis is optional: on any Redis error the cache skips it for a moment and reads go to Postgres.
 */
export interface CatalogCache {
  product<T>(idOrSlug: string, load: () => Promise<T | null>): Promise<T | null>;
  list<T>(key: string, load: () => Promise<T>): Promise<T>;
  invalidateProducts(refs: readonly ProductRef[]): Promise<void>;
  invalidateLists(): Promise<void>;
  /** Products and lists: for changes (brands, categories) that show on many products. */
  invalidateAll(): Promise<void>;
}

export interface ProductRef {
  readonly productId: string;
  readonly slug?: string | undefined;
  readonly previousSlug?: string | undefined;
}

export interface CacheOptions {
  readonly redis: Redis | null;
  readonly log: Logger;
  readonly metrics?: Metrics;
  /** Redis TTL of product entries (default 60 s). */
  readonly productTtlMs?: number;
  /** Redis TTL of list entries (default 30 s). */
  readonly listTtlMs?: number;
  /** In-process freshness, shorter: each replica's copy is refreshed from Redis often (default 10 s). */
  readonly localTtlMs?: number;
  readonly maxLocalEntries?: number;
  /** How long to leave Redis alone after an error (default 2 s). */
  readonly redisBackoffMs?: number;
  readonly now?: () => number;
}

interface Entry {
  readonly value: unknown;
  /** Served as is until then. */
  readonly fresh: number;
  /** Until then served while one background load refreshes it (TTL expiry only: events delete). */
  readonly stale: number;
}

export function createCatalogCache(opts: CacheOptions): CatalogCache {
  const now = opts.now ?? Date.now;
  const productTtl = opts.productTtlMs ?? 60_000;
  const listTtl = opts.listTtlMs ?? 30_000;
  const localTtl = opts.localTtlMs ?? 10_000;
  const maxLocal = opts.maxLocalEntries ?? 5_000;
  const backoff = opts.redisBackoffMs ?? 2_000;
  const local = new Map<string, Entry>();
  const requests = opts.metrics?.counter('catalog_cache_requests_total', 'Catalog cache lookups by layer and result', [
    'layer',
    'result',
  ]);
  let redisPausedUntil = 0;
  const gens = new Map<'p' | 'l', Promise<string>>();
  // Bumped by every invalidation; a load that saw it change does not store its result.
  let epoch = 0;

  const redis = async <T>(what: string, op: (r: Redis) => Promise<T>): Promise<T | undefined> => {
    if (!opts.redis || now() < redisPausedUntil) return undefined;
    try {
      return await op(opts.redis);
    } catch (err) {
      redisPausedUntil = now() + backoff;
      opts.log.warn({ err, what }, 'redis unavailable; catalog reads go to postgres');
      return undefined;
    }
  };

  const putLocal = (key: string, value: unknown, ttl: number) => {
    if (local.size >= maxLocal) {
      const oldest = local.keys().next();
      if (!oldest.done) local.delete(oldest.value);
    }
    const at = now();
    local.set(key, { value, fresh: at + Math.min(ttl, localTtl), stale: at + 2 * ttl });
  };

  // Concurrent misses of one key share one load: a hot page expiring (or invalidated) under
  // load costs one query, not one per waiting request.
  const inflight = new Map<string, Promise<unknown>>();

  function readThrough<T>(key: string, ttl: number, load: () => Promise<T>, store: (v: T) => boolean): Promise<T> {
    const hit = local.get(key);
    const at = now();
    if (hit && at < hit.fresh) {
      requests?.inc({ layer: 'local', result: 'hit' });
      return Promise.resolve(hit.value as T);
    }
    if (hit && at < hit.stale) {
      // Expired by age, not by an event: answer now, refresh behind it, so no shopper waits on a refill.
      requests?.inc({ layer: 'local', result: 'stale' });
      shared(key, ttl, load, store).catch((err) => opts.log.warn({ err, key }, 'catalog cache refresh failed'));
      return Promise.resolve(hit.value as T);
    }
    return shared(key, ttl, load, store);
  }

  function shared<T>(key: string, ttl: number, load: () => Promise<T>, store: (v: T) => boolean): Promise<T> {
    const pending = inflight.get(key);
    if (pending) {
      requests?.inc({ layer: 'inflight', result: 'hit' });
      return pending as Promise<T>;
    }
    const loading: Promise<T> = fill(key, ttl, load, store).finally(() => {
      if (inflight.get(key) === loading) inflight.delete(key);
    });
    inflight.set(key, loading);
    return loading;
  }

  async function fill<T>(key: string, ttl: number, load: () => Promise<T>, store: (v: T) => boolean): Promise<T> {
    const started = epoch;
    const cached = await redis('get', (r) => r.get(key));
    if (typeof cached === 'string') {
      requests?.inc({ layer: 'redis', result: 'hit' });
      const value = JSON.parse(cached) as T;
      if (epoch === started) putLocal(key, value, ttl);
      return value;
    }
    requests?.inc({ layer: 'all', result: 'miss' });
    const value = await load();
    if (epoch === started && store(value)) {
      putLocal(key, value, ttl);
      await redis('set', (r) => r.set(key, JSON.stringify(value), 'PX', ttl));
    }
    return value;
  }

  // One lookup per kind, shared by concurrent first callers (or they could end up on different keys).
  function generation(kind: 'p' | 'l'): Promise<string> {
    let gen = gens.get(kind);
    if (gen === undefined) {
      gen = redis('gen', (r) => r.get(`catalog:${kind}gen`)).then((shared) =>
        shared === undefined ? privateGen() : (shared ?? '0'),
      );
      gens.set(kind, gen);
    }
    return gen;
  }

  // Without Redis, a private generation keeps this replica off entries written before the event.
  const privateGen = () => `x${now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

  async function bump(kind: 'p' | 'l'): Promise<void> {
    epoch++;
    inflight.clear();
    for (const k of local.keys()) if (k.startsWith(`catalog:${kind}:`)) local.delete(k);
    const next = await redis('incr', (r) => r.incr(`catalog:${kind}gen`));
    gens.set(kind, Promise.resolve(next === undefined ? privateGen() : String(next)));
  }

  return {
    async product(idOrSlug, load) {
      const gen = await generation('p');
      return readThrough(`catalog:p:${gen}:${idOrSlug}`, productTtl, load, (v) => v !== null);
    },
    async list(key, load) {
      const gen = await generation('l');
      const hash = createHash('sha1').update(key).digest('base64url');
      return readThrough(`catalog:l:${gen}:${hash}`, listTtl, load, () => true);
    },
    async invalidateProducts(refs) {
      epoch++;
      inflight.clear();
      const gen = await generation('p');
      const keys = refs.flatMap((r) =>
        [r.productId, r.slug, r.previousSlug].filter((k): k is string => !!k).map((k) => `catalog:p:${gen}:${k}`),
      );
      for (const k of keys) local.delete(k);
      if (keys.length) await redis('del', (r) => r.del(...keys));
    },
    invalidateLists: () => bump('l'),
    async invalidateAll() {
      await bump('p');
      await bump('l');
    },
  };
}
