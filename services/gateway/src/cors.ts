import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

/**
 * Cross-origin access to /api for the listed browser origins only (CORS_ORIGINS); with none
 * listed the gateway adds no CORS headers and browsers keep the same-origin rule.
 */
export function corsFromConfig(origins: readonly string[]): MiddlewareHandler | undefined {
  if (origins.length === 0) return undefined;
  const allowed = new Set(origins.map((o) => new URL(o).origin));
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowHeaders: ['content-type', 'authorization', 'x-request-id', 'idempotency-key', 'x-currency', 'if-match'],
    exposeHeaders: [
      'x-request-id',
      'x-cache',
      'retry-after',
      'ratelimit-limit',
      'ratelimit-remaining',
      'ratelimit-reset',
      'etag',
      'location',
    ],
    credentials: true,
    maxAge: 600,
  });
}
