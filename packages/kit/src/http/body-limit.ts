import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { problem, problemResponse } from './problem.ts';
import type { KitEnv } from './router.ts';

/**
 * 413 problem+json for bodies over `maxSize` bytes. Hono's bodyLimit touches the raw body, which
 * makes the node adapter build a full Request even for a GET (the kit's largest per-request cost
 * in the bench), so a GET or HEAD without a declared body skips it.
 */
export function limitBody(maxSize: number): MiddlewareHandler<KitEnv> {
  const limit = bodyLimit({
    maxSize,
    onError: (c) => problemResponse(c, problem(413, `request body is larger than ${maxSize} bytes`)),
  });
  return async function limitBodyMiddleware(c, next) {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') {
      const h = c.req.raw.headers;
      if (h.get('content-length') === null && h.get('transfer-encoding') === null) return next();
    }
    return limit(c, next);
  };
}
