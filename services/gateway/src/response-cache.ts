import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { CachedResponse, CacheStore } from './cache-store.ts';
import { cacheKeyParts, isCacheableRequest, isCacheableResponse, splitUrl } from './domain.ts';
import type { GatewayEnv } from './gateway-env.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';

export interface ResponseCacheOptions {
  readonly store: CacheStore;
  readonly ttlSeconds: number;
  readonly maxBytes: number;
  readonly metrics?: GatewayMetrics;
  readonly now?: () => number;
}

// What a cached answer carries; request ids, cookies and security headers are per response.
const STORED_HEADERS = ['content-type', 'content-language', 'etag', 'last-modified', 'cache-control', 'vary'];

/**
 * Shares anonymous catalog reads between clients through Redis. Freshness comes from events
 * (events.ts moves the cache generation on every catalog change), the TTL is only a safety net.
 * A miss is stored under the generation read before going upstream, so an answer that raced with
 * a change lands in the old generation, where nobody reads it.
 */
function replay(entry: CachedResponse, state: 'hit' | 'miss', now: number): Response {
  const headers = new Headers(entry.headers as [string, string][]);
  headers.set('x-cache', state);
  headers.set('age', String(Math.max(0, Math.floor((now - entry.storedAt) / 1000))));
  return new Response(entry.body, { status: entry.status, headers });
}

/** The upstream answer as a cache entry, or undefined when it must not be shared. */
function entryOf(c: Context<GatewayEnv>, maxBytes: number, now: number): CachedResponse | undefined {
  const body = c.get('upstreamBody');
  const res = c.res.headers;
  const cacheable = isCacheableResponse(
    {
      status: c.res.status,
      contentType: res.get('content-type'),
      contentLength: res.get('content-length'),
      cacheControl: res.get('cache-control'),
      contentEncoding: res.get('content-encoding'),
      setCookie: res.has('set-cookie'),
    },
    maxBytes,
  );
  if (!body || !cacheable) return undefined;
  const headers = STORED_HEADERS.flatMap((h) => {
    const v = res.get(h);
    return v === null ? [] : [[h, v] as const];
  });
  return { status: c.res.status, headers, body, storedAt: now };
}

/**
 * Shares anonymous catalog reads between clients through Redis. Freshness comes from events
 * (events.ts moves the cache generation on every catalog change), the TTL is only a safety net.
 * A miss is stored under the generation read before going upstream, so an answer that raced with
 * a change lands in the old generation, where nobody reads it. Identical misses arriving while
 * one is already upstream wait for that one (per replica), so a cache-wide invalidation does not
 * send every hot page's concurrent readers to the catalog at once.
 */
export function responseCache(opts: ResponseCacheOptions): MiddlewareHandler<GatewayEnv> {
  const now = opts.now ?? Date.now;
  const inflight = new Map<string, Promise<CachedResponse | undefined>>();
  return async function responseCacheMiddleware(c, next) {
    const { path, search } = splitUrl(c.req.url);
    const req = c.req.raw.headers;
    if (
      !isCacheableRequest({
        method: c.req.method,
        path,
        authorization: req.get('authorization') ?? undefined,
        cookie: req.get('cookie') ?? undefined,
        adminToken: req.get('x-admin-token') ?? undefined,
        cacheControl: req.get('cache-control') ?? undefined,
      })
    ) {
      return next();
    }
    const parts = cacheKeyParts({
      method: c.req.method,
      path,
      search,
      acceptLanguage: req.get('accept-language') ?? undefined,
      currency: req.get('x-currency') ?? undefined,
    });
    const key = createHash('sha256').update(parts).digest('base64url');
    const lookup = await opts.store.get(key);
    if (lookup?.entry) {
      opts.metrics?.cache.inc({ result: 'hit' });
      return replay(lookup.entry, 'hit', now());
    }
    // Coalescing needs the generation: a follower must never get an answer from before a change.
    const flightKey = lookup ? `${lookup.generation}:${key}` : undefined;
    const leader = flightKey ? inflight.get(flightKey) : undefined;
    if (leader) {
      const shared = await leader;
      if (shared) {
        opts.metrics?.cache.inc({ result: 'coalesced' });
        return replay(shared, 'miss', now());
      }
    }
    opts.metrics?.cache.inc({ result: lookup ? 'miss' : 'bypass' });
    let settle: (e: CachedResponse | undefined) => void = () => {};
    if (flightKey && !leader) {
      inflight.set(flightKey, new Promise((resolve) => (settle = resolve)));
    }
    let entry: CachedResponse | undefined;
    try {
      // A stored body must be readable by every client, so ask the upstream not to compress it.
      c.set('upstreamHeaders', { ...c.get('upstreamHeaders'), 'accept-encoding': 'identity' });
      await next();
      c.res.headers.set('x-cache', 'miss');
      entry = lookup ? entryOf(c, opts.maxBytes, now()) : undefined;
    } finally {
      settle(entry);
      if (flightKey && !leader) inflight.delete(flightKey);
    }
    // Not awaited: the client has its answer; a failed store only means the next read is a miss.
    if (lookup && entry) void opts.store.set(lookup, key, entry, opts.ttlSeconds);
  };
}
