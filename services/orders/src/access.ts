import { type AuthEnv, Forbidden, type Role } from '@storefront/kit';
import type { Context } from 'hono';
import { validOrderToken } from './checkout.ts';
import type { Reader } from './domain.ts';
import { ORDER_TOKEN_HEADER } from './schemas.ts';

/** Staff who manage orders and returns. */
export const ORDER_STAFF: readonly Role[] = ['support', 'admin'];

/**
 * Who reads an order: staff (with MFA) see every order, a customer their own, a guest the one
 * order whose secret token they present. Anyone else gets the same 404 as a missing order.
 */
export function readerOf(c: Context<AuthEnv>, secret: string, orderId: string | null): Reader | null {
  const caller = c.get('caller');
  if (caller) {
    if (!caller.roles.some((r) => ORDER_STAFF.includes(r))) return { kind: 'customer', id: caller.id };
    if (!caller.mfa)
      throw new Forbidden('staff need a session signed in with MFA', { extensions: { code: 'mfa_required' } });
    return { kind: 'staff', id: caller.id };
  }
  if (orderId && validOrderToken(secret, orderId, c.req.header(ORDER_TOKEN_HEADER))) return { kind: 'guest', orderId };
  return null;
}
