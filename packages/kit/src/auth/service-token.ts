import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { Forbidden, Unauthorized } from '../errors.ts';

/** Sent by other services (the checkout saga, a POS integration) until the platform has service identities. */
export const SERVICE_TOKEN_HEADER = 'x-service-token';

export interface ServiceTokenOptions {
  /** The installation's shared service token (at least 16 characters). */
  readonly token: string;
  /** Headers read, in order, when X-Service-Token is absent (e.g. a legacy `x-admin-token`). */
  readonly alsoFrom?: readonly string[];
  /**
   * Without a service token, run these instead of answering 401: a route open to services or to
   * callers the chain admits (e.g. `[authenticate(...), requireRole(...), requireMfa()]`).
   */
  // biome-ignore lint/suspicious/noExplicitAny: the chain may carry any Env (AuthEnv for staff guards).
  readonly otherwise?: readonly MiddlewareHandler<any>[];
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Service-to-service routes: the shared token in `X-Service-Token`. None → 401 (or the `otherwise`
 * chain), wrong → 403. Both sides are hashed before the constant-time comparison, so neither the
 * content nor the length of the expected token leaks through timing.
 */
// biome-ignore lint/suspicious/noExplicitAny: usable on a router of any Env.
export function requireServiceToken(opts: ServiceTokenOptions): MiddlewareHandler<any> {
  if (opts.token.length < 16) throw new Error('the service token must be at least 16 characters');
  const expected = digest(opts.token);
  const headers = [SERVICE_TOKEN_HEADER, ...(opts.alsoFrom ?? [])];
  const chain = opts.otherwise ?? [];
  return async function requireServiceTokenMiddleware(c, next) {
    let given: string | undefined;
    for (const h of headers) {
      given = c.req.header(h);
      if (given !== undefined) break;
    }
    if (given === undefined || (given === '' && chain.length === 0)) {
      if (chain.length === 0) throw new Unauthorized('this route is for other services: send the service token');
      const run = async (i: number): Promise<void> => {
        const mw = chain[i];
        if (!mw) return next();
        await mw(c, () => run(i + 1));
      };
      return run(0);
    }
    if (!timingSafeEqual(digest(given), expected)) throw new Forbidden('the service token is not valid');
    await next();
  };
}
