import { type AuthEnv, callerOf } from '@storefront/kit';
import type { Context } from 'hono';

/** Who is acting on a staff route, for the audit log: the signed-in account and the request. */
export interface Staff {
  readonly accountId: string;
  readonly requestId: string | undefined;
}

export function staffOf(c: Context<AuthEnv>): Staff {
  return { accountId: callerOf(c).id, requestId: c.get('requestId') };
}
