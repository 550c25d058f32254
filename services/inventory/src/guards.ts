import {
  type AuthEnv,
  authenticate,
  type Role,
  requireMfa,
  requireRole,
  requireServiceToken,
  SERVICE_TOKEN_HEADER,
  type Verifier,
} from '@storefront/kit';
import type { Context, MiddlewareHandler } from 'hono';
import type { Actor } from './events.ts';

/** Sent by other services (the orders saga, a POS integration) until the platform has service identities. */
export { SERVICE_TOKEN_HEADER };

export interface Guards {
  /** Staff holding one of `roles`, signed in with MFA: 401 without a token, 403 otherwise. */
  staff(...roles: Role[]): MiddlewareHandler<AuthEnv>[];
  /** A service presenting the service token (a wrong one is 403), or, without one, staff as above. */
  serviceOrStaff(...roles: Role[]): MiddlewareHandler<AuthEnv>[];
}

export function createGuards(opts: { verifier: Verifier; serviceToken: string }): Guards {
  const signedIn = authenticate({ verifier: opts.verifier });
  const staff = (...roles: Role[]) => [signedIn, requireRole(...roles), requireMfa()];
  // Built once here so a short token fails at boot, not on the first request.
  requireServiceToken({ token: opts.serviceToken });
  return {
    staff,
    serviceOrStaff: (...roles) => [requireServiceToken({ token: opts.serviceToken, otherwise: staff(...roles) })],
  };
}

/** Who did it, for the ledger and the audit log: the staff account, or a service. */
export function actorOf(c: Context<AuthEnv>): Actor {
  const caller = c.get('caller');
  return caller ? { id: caller.id, type: 'account' } : { id: null, type: 'system' };
}
