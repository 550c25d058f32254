import { type AuthEnv, Forbidden, type Role, requireMfa, requireRole } from '@storefront/kit';
import type { Context, MiddlewareHandler } from 'hono';
import { validOrderToken } from './checkout.ts';
import type { Reader } from './domain.ts';
import { ORDER_TOKEN_HEADER } from './schemas.ts';

/**
 * The order desk: support and admin. Only they move money or change an order's course — staff
 * refunds, cancellations, return decisions (approve/reject), a refund amount other than the
 * return rule's, internal notes, a return asked for on a customer's behalf.
 */
export const ORDER_DESK: readonly Role[] = ['support', 'admin'];

/**
 * Staff who read orders and work the returns queue: the desk and the warehouse (`fulfillment`
 * packs and ships orders, receives returned parcels, inspects and restocks them; the refund that
 * inspection triggers is the amount the return rules compute).
 */
export const ORDER_STAFF: readonly Role[] = ['support', 'fulfillment', 'admin'];

/** Who may call each staff route (every one also needs a session signed in with MFA). */
export const STAFF_ROUTES = {
  'GET /admin/stats': ORDER_STAFF,
  'GET /admin/orders': ORDER_STAFF,
  'GET /admin/orders/{id}': ORDER_STAFF,
  'POST /admin/orders/{id}/cancel': ORDER_DESK,
  'POST /admin/orders/{id}/notes': ORDER_DESK,
  'POST /admin/orders/{id}/refund': ORDER_DESK,
  'GET /admin/returns': ORDER_STAFF,
  'GET /admin/returns/{id}': ORDER_STAFF,
  'POST /admin/returns/{id}/approve': ORDER_DESK,
  'POST /admin/returns/{id}/reject': ORDER_DESK,
  'POST /admin/returns/{id}/receive': ORDER_STAFF,
  'POST /admin/returns/{id}/inspect': ORDER_STAFF,
} as const satisfies Record<string, readonly Role[]>;

/** The guard of one staff route: its roles, then MFA. */
export function staffOnly(route: keyof typeof STAFF_ROUTES): MiddlewareHandler<AuthEnv>[] {
  return [requireRole(...STAFF_ROUTES[route]), requireMfa()];
}

/** True when the caller is on the order desk (support or admin). */
export function onDesk(c: Context<AuthEnv>): boolean {
  return c.get('caller')?.roles.some((r) => ORDER_DESK.includes(r)) ?? false;
}

/**
 * Who reads an order: staff (with MFA) see every order, a customer their own, a guest the one
 * order whose secret token they present. Anyone else gets the same 404 as a missing order.
 * `staff` narrows who counts as staff (asking for a return on a customer's behalf is the desk's).
 */
export function readerOf(
  c: Context<AuthEnv>,
  secret: string,
  orderId: string | null,
  staff: readonly Role[] = ORDER_STAFF,
): Reader | null {
  const caller = c.get('caller');
  if (caller) {
    if (!caller.roles.some((r) => staff.includes(r))) return { kind: 'customer', id: caller.id };
    if (!caller.mfa)
      throw new Forbidden('staff need a session signed in with MFA', { extensions: { code: 'mfa_required' } });
    return { kind: 'staff', id: caller.id };
  }
  if (orderId && validOrderToken(secret, orderId, c.req.header(ORDER_TOKEN_HEADER))) return { kind: 'guest', orderId };
  return null;
}
