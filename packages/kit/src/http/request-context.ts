import { newId } from '@storefront/contracts';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { KitEnv } from './router.ts';

const VALID_ID = /^[\w\-.:]{1,128}$/;

export interface RequestContextOptions {
  readonly log: Logger;
  readonly header?: string;
}

/**
 * Takes the caller's request id when it is well-formed (so one id follows a request through the
 * gateway and every service), makes one otherwise, echoes it, and gives handlers a child logger
 * that stamps it on every line.
 */
export function requestContext(opts: RequestContextOptions): MiddlewareHandler<KitEnv> {
  const header = opts.header ?? 'x-request-id';
  return async function requestContextMiddleware(c, next) {
    const incoming = c.req.header(header);
    const id = incoming && VALID_ID.test(incoming) ? incoming : newId();
    c.set('requestId', id);
    c.set('log', opts.log.child({ requestId: id }));
    c.header(header, id);
    await next();
  };
}
