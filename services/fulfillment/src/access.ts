import { type AuthEnv, callerOf, Forbidden, type Role } from '@storefront/kit';
import type { Context } from 'hono';
import type { Reader } from './domain.ts';

/** Staff who may see every shipment; anyone else signed in sees only their own orders' shipments. */
export const SHIPMENT_STAFF: readonly Role[] = ['fulfillment', 'support', 'admin'];

export function readerOf(c: Context<AuthEnv>): Reader {
  const caller = callerOf(c);
  if (!caller.roles.some((r) => SHIPMENT_STAFF.includes(r))) return { kind: 'customer', id: caller.id };
  // Staff see other people's addresses: only from a session that passed the second factor.
  if (!caller.mfa) {
    throw new Forbidden('staff need a session signed in with MFA', { extensions: { code: 'mfa_required' } });
  }
  return { kind: 'staff' };
}
