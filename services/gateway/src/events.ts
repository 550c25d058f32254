import type { Broadcast, Logger } from '@storefront/kit';
import type { CacheStore } from './cache-store.ts';

/** Every change that can alter a public catalog answer (lists, product pages, facets, ratings). */
export const CATALOG_CHANGES = [
  'product.created.v1',
  'product.updated.v1',
  'product.deleted.v1',
  'product.price-changed.v1',
  'category.changed.v1',
  'brand.changed.v1',
  'review.added.v1',
] as const;

/**
 * The gateway publishes nothing. It listens to catalog changes on the broadcast (every replica
 * hears every event) and moves the response cache to a new generation, so a price change is
 * served at once rather than after the TTL.
 */
export function subscribeCacheInvalidation(broadcast: Broadcast, cache: CacheStore, log: Logger): void {
  broadcast.on(CATALOG_CHANGES, async (event) => {
    await cache.invalidate();
    log.debug({ subject: event.subject, eventId: event.id }, 'response cache invalidated');
  });
}

/**
 * Broadcast is at-most-once: while the connection to NATS is down, changes go unheard. So while
 * it is down the cache is not trusted (reads go upstream), and when it is back everything
 * cached before is dropped, since some of it may have changed meanwhile.
 */
export function watchBroadcast(
  broadcast: Broadcast,
  cache: CacheStore,
  log: Logger,
  opts: { intervalMs?: number; timeoutMs?: number } = {},
): { stop(): void } {
  let healthy = true;
  let running = false;
  const timeoutMs = opts.timeoutMs ?? 1_000;
  const check = async () => {
    if (running) return;
    running = true;
    let ok = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        broadcast.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('ping timed out')), timeoutMs);
        }),
      ]);
    } catch {
      ok = false;
    } finally {
      clearTimeout(timer);
      running = false;
    }
    if (ok === healthy) return;
    healthy = ok;
    if (!ok) {
      log.warn('event broadcast lost: response cache bypassed until it is back');
      cache.setTrusted(false);
    } else {
      await cache.invalidate();
      cache.setTrusted(true);
      log.info('event broadcast back: response cache cleared and in use again');
    }
  };
  const interval = setInterval(check, opts.intervalMs ?? 2_000);
  interval.unref();
  return { stop: () => clearInterval(interval) };
}
