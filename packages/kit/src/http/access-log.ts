import type { MiddlewareHandler } from 'hono';
import type { KitEnv } from './router.ts';

/** One line per request, after it is answered; health probes and scrapes only at debug. */
export function accessLog(opts: { quietPaths?: readonly string[] } = {}): MiddlewareHandler<KitEnv> {
  const quiet = new Set(opts.quietPaths ?? ['/healthz', '/readyz', '/metrics']);
  return async function accessLogMiddleware(c, next) {
    const start = performance.now();
    await next();
    const ms = Math.round((performance.now() - start) * 10) / 10;
    const line = { method: c.req.method, path: c.req.path, status: c.res.status, ms };
    const log = c.get('log');
    if (quiet.has(c.req.path)) log.debug(line, 'request');
    else if (c.res.status >= 500) log.error(line, 'request');
    else log.info(line, 'request');
  };
}
