import { type AuthEnv, callerOf, createRoute, createRouter, z } from '@storefront/kit';
import { staffOnly } from './access.ts';
import type { OrdersDeps } from './app.ts';
import { requestStaffRefund, staffRefundView } from './refunds.ts';
import { body, IDEMPOTENCY_HEADER, IdParams, json, RefundHeaders, RefundIn, RefundOut } from './schemas.ts';

/** POST /admin/orders/{id}/refund: staff give money back through payments (the desk: support/admin + MFA). */
export function refundRoutes(deps: OrdersDeps) {
  const app = createRouter<AuthEnv>();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/admin/orders/{id}/refund',
      tags: ['staff'],
      middleware: staffOnly('POST /admin/orders/{id}/refund'),
      summary: 'Refund an order (all that is still refundable, or `amount` of it); payments settles it',
      description:
        'Needs `Idempotency-Key`: the same key and body answer the same refund (`replayed: true`); another body with ' +
        'that key is 422 `idempotency_key_reused`. 409 `not_refundable` when nothing was captured, the saga still ' +
        'runs, or everything is refunded or being refunded; 422 `refund_exceeds_refundable` (with `refundable`) ' +
        'when `amount` is more. The refund is `requested` until payments answers (`refunded` or `failed`), and ' +
        'shows on `GET /admin/orders/{id}`.',
      request: { params: IdParams, headers: RefundHeaders, body: body(RefundIn) },
      responses: { 202: json(z.object({ refund: RefundOut, replayed: z.boolean() }), 'The refund, requested') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const { refund, replayed } = await requestStaffRefund(deps, {
        orderId: id,
        key: c.req.valid('header')[IDEMPOTENCY_HEADER],
        amount: input.amount,
        reason: input.reason,
        actor: callerOf(c).id,
        requestId: c.get('requestId'),
      });
      return c.json({ refund: staffRefundView(refund), replayed }, 202);
    },
  );
  return app;
}
