import { timingSafeEqual } from 'node:crypto';
import {
  type AuthEnv,
  authenticate,
  Forbidden,
  type Role,
  requireMfa,
  requireRole,
  type Verifier,
} from '@storefront/kit';
import type { Context, MiddlewareHandler } from 'hono';
import type { Actor } from './events.ts';

/** Sent by other services (the orders saga, a POS integration) until the platform has service identities. */
export const SERVICE_TOKEN_HEADER = 'x-service-token';

export interface Guards {
  /** Staff holding one of `roles`, signed in with MFA: 401 without a token, 403 otherwise. */
  staff(...roles: Role[]): MiddlewareHandler<AuthEnv>[];
  /** A service presenting the service token, or staff as above. */
  serviceOrStaff(...roles: Role[]): MiddlewareHandler<AuthEnv>[];
}

export function createGuards(opts: { verifier: Verifier; serviceToken: string }): Guards {
  if (opts.serviceToken.length < 16) throw new Error('the service token must be at least 16 characters');
  const expected = Buffer.from(opts.serviceToken);
  const signedIn = authenticate({ verifier: opts.verifier });
  const staff = (...roles: Role[]) => [signedIn, requireRole(...roles), requireMfa()];
  return {
    staff,
    serviceOrStaff(...roles) {
      const chain = staff(...roles);
      const guard: MiddlewareHandler<AuthEnv> = async function serviceOrStaffMiddleware(c, next) {
        const given = c.req.header(SERVICE_TOKEN_HEADER);
        if (given !== undefined) {
          const actual = Buffer.from(given);
          if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
            throw new Forbidden('the service token is not valid');
          }
          return next();
        }
        const run = async (i: number): Promise<void> => {
          const mw = chain[i];
          if (!mw) return next();
          await mw(c, () => run(i + 1));
        };
        await run(0);
      };
      return [guard];
    },
  };
}

/** Who did it, for the ledger and the audit log: the staff account, or a service. */
export function actorOf(c: Context<AuthEnv>): Actor {
  const caller = c.get('caller');
  return caller ? { id: caller.id, type: 'account' } : { id: null, type: 'system' };
}
