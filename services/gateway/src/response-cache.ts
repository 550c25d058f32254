import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { CacheStore } from './cache-store.ts';
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
export function responseCache(opts: ResponseCacheOptions): MiddlewareHandler<GatewayEnv> {
  const now = opts.now ?? Date.now;
  return async function responseCacheMiddleware(c, next) {
    const { path, search } = splitUrl(c.req.url);
    const req = c.req.raw.headers;
    if (
      !isCacheableRequest({
        method: c.req.method,
        path,
        authorization: req.get('authorization') ?? undefined,
        cookie: req.get('cookie') ?? undefined,
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
    const entry = lookup?.entry;
    if (entry) {
      opts.metrics?.cache.inc({ result: 'hit' });
      const headers = new Headers(entry.headers as [string, string][]);
      headers.set('x-cache', 'hit');
      headers.set('age', String(Math.max(0, Math.floor((now() - entry.storedAt) / 1000))));
      return new Response(entry.body, { status: entry.status, headers });
    }
    opts.metrics?.cache.inc({ result: lookup ? 'miss' : 'bypass' });
    // A stored body must be readable by every client, so ask the upstream not to compress it.
    c.set('upstreamHeaders', { ...c.get('upstreamHeaders'), 'accept-encoding': 'identity' });
    await next();
    c.res.headers.set('x-cache', 'miss');
    const body = c.get('upstreamBody');
    const res = c.res.headers;
    if (!lookup || !body) return;
    const cacheable = isCacheableResponse(
      {
        status: c.res.status,
        contentType: res.get('content-type'),
        contentLength: res.get('content-length'),
        cacheControl: res.get('cache-control'),
        contentEncoding: res.get('content-encoding'),
        setCookie: res.has('set-cookie'),
      },
      opts.maxBytes,
    );
    if (!cacheable) return;
    const headers = STORED_HEADERS.flatMap((h) => {
      const v = res.get(h);
      return v === null ? [] : [[h, v] as const];
    });
    // Not awaited: the client has its answer; a failed store only means the next read is a miss.
    void opts.store.set(lookup, key, { status: c.res.status, headers, body, storedAt: now() }, opts.ttlSeconds);
  };
}
