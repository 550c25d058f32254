import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { problem, problemResponse } from './problem.ts';
import type { KitEnv } from './router.ts';

/**
 * 413 problem+json for bodies over `maxSize` bytes. Hono's bodyLimit touches the raw body, which
 * makes the node adapter build a full Request even for a GET (the kit's largest per-request cost
 * in the bench), so a GET or HEAD without a declared body skips it — and, not being async itself,
 * costs such a request no promise either.
 */
export function limitBody(maxSize: number): MiddlewareHandler<KitEnv> {
  const limit = bodyLimit({
    maxSize,
    onError: (c) => problemResponse(c, problem(413, `request body is larger than ${maxSize} bytes`)),
  });
  return function limitBodyMiddleware(c, next) {
    const method = c.req.method;
    if ((method === 'GET' || method === 'HEAD') && !declaresBody(c.env as { incoming?: IncomingMessage }, c.req.raw))
      return next();
    return limit(c, next);
  };
}

function declaresBody(env: { incoming?: IncomingMessage } | undefined, req: Request): boolean {
  const h = env?.incoming?.headers;
  if (h) return h['content-length'] !== undefined || h['transfer-encoding'] !== undefined;
  return req.headers.get('content-length') !== null || req.headers.get('transfer-encoding') !== null;
}
