import {
  type AuthEnv,
  authenticate,
  type Caller,
  callerOf,
  createRoute,
  createRouter,
  Forbidden,
  NotFound,
  type Queryable,
  type Verifier,
  z,
} from '@storefront/kit';
import type { Payment, Refund } from './domain.ts';
import { json, PaymentId, PaymentOut } from './schemas.ts';
import { getPayment, paymentsOfOrder } from './store-payments.ts';
import { refundsOf } from './store-refunds.ts';

const tags = ['payments'];
const STAFF = ['support', 'admin'] as const;

/**
 * Staff (support, admin; signed in with MFA) see every payment. Everyone else sees only payments
 * whose authorize command named them as the customer; anything else is 404, not 403, so a
 * customer cannot even learn that another's payment exists.
 */
function seesAll(caller: Caller): boolean {
  if (!caller.roles.some((r) => (STAFF as readonly string[]).includes(r))) return false;
  if (!caller.mfa) {
    throw new Forbidden('staff must sign in with MFA to read payments', { extensions: { code: 'mfa_required' } });
  }
  return true;
}

const visible = (caller: Caller, p: Payment) =>
  p.state !== 'pending' && (seesAll(caller) || p.customerId === caller.id);

export function paymentOut(p: Payment, refunds: readonly Refund[]): z.infer<typeof PaymentOut> {
  const money = (amount: number) => ({ amount, currency: p.amount.currency });
  return {
    id: p.id,
    orderId: p.orderId,
    customerId: p.customerId,
    provider: p.provider,
    state: p.state,
    amount: p.amount,
    captured: money(p.captured),
    refunded: money(p.refunded),
    card: p.card,
    actionUrl: p.state === 'requires_action' ? p.actionUrl : null,
    decline: p.decline,
    refunds: refunds
      .filter((r) => r.paymentId === p.id)
      .map((r) => ({
        id: r.id,
        amount: r.amount,
        state: r.state,
        reason: r.reason,
        failure: r.failure,
        createdAt: r.createdAt.toISOString(),
      })),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function paymentRoutes(deps: { db: Queryable; verifier: Verifier }) {
  const app = createRouter<AuthEnv>();
  const middleware = [authenticate({ verifier: deps.verifier })];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/payments/{id}',
      tags,
      middleware,
      summary: 'A payment with its refunds',
      description: 'Customers: their own payments only (404 otherwise). Support and admin staff with MFA: any.',
      request: { params: z.object({ id: PaymentId }) },
      responses: { 200: json(PaymentOut, 'The payment') },
    }),
    async (c) => {
      const caller = callerOf(c);
      const p = await getPayment(deps.db, c.req.valid('param').id);
      if (!p || !visible(caller, p)) throw new NotFound('no such payment');
      return c.json(paymentOut(p, await refundsOf(deps.db, [p.id])), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/orders/{orderId}/payments',
      tags,
      middleware,
      summary: 'The payments of an order, oldest first',
      description: 'Customers: 404 unless the order has payments of theirs. Staff with MFA: any order.',
      request: { params: z.object({ orderId: PaymentId }) },
      responses: { 200: json(z.object({ items: z.array(PaymentOut) }), 'The payments') },
    }),
    async (c) => {
      const caller = callerOf(c);
      const all = await paymentsOfOrder(deps.db, c.req.valid('param').orderId);
      const mine = all.filter((p) => visible(caller, p));
      if (!seesAll(caller) && mine.length === 0) throw new NotFound('no payments for this order');
      const refunds = await refundsOf(
        deps.db,
        mine.map((p) => p.id),
      );
      return c.json({ items: mine.map((p) => paymentOut(p, refunds)) }, 200);
    },
  );
  return app;
}
