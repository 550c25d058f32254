import { type AuthEnv, callerOf, createRoute, createRouter, NotFound, z } from '@storefront/kit';
import { staffOnly } from './access.ts';
import type { OrdersDeps } from './app.ts';
import { cancellable, ORDER_STATUSES } from './domain.ts';
import { NotCancellable } from './errors.ts';
import { audited } from './order-events.ts';
import { netOfRefunds } from './refund-rules.ts';
import { refundsOfOrder } from './refunds.ts';
import { applyDecision } from './saga.ts';
import { decide } from './saga-machine.ts';
import { body, CancelIn, IdParams, json, NoteIn, OrderOut, OrderPage, RefundOut, StaffQuery } from './schemas.ts';
import { addNote, getOrder, listOrders, notesOf } from './store-orders.ts';
import { pendingRefunds } from './store-refunds.ts';
import { countsByStatus, RETURN_STATUSES } from './store-returns.ts';
import { getSaga, lockSaga } from './store-sagas.ts';
import { orderView } from './views.ts';

const tags = ['staff'];

/**
 * Order management (MFA): search, detail with saga and notes for order staff (support, fulfillment,
 * admin); cancel and notes for the desk (support, admin). Roles per route: access.ts STAFF_ROUTES.
 */
export function staffRoutes(deps: OrdersDeps) {
  const app = createRouter<AuthEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/stats',
      tags,
      middleware: staffOnly('GET /admin/stats'),
      summary: 'Counts for the admin overview: orders and returns by status (every status, zeros included)',
      responses: {
        200: json(
          z.object({
            orders: z.record(z.enum(ORDER_STATUSES), z.number().int()),
            returns: z.record(z.enum(RETURN_STATUSES), z.number().int()),
          }),
          'The counts',
        ),
      },
    }),
    async (c) => {
      const counts = await countsByStatus(deps.db);
      const fill = <S extends string>(all: readonly S[], got: Record<string, number>) =>
        Object.fromEntries(all.map((s) => [s, got[s] ?? 0])) as Record<S, number>;
      return c.json(
        { orders: fill(ORDER_STATUSES, counts.orders), returns: fill(RETURN_STATUSES, counts.returns) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/orders',
      tags,
      middleware: staffOnly('GET /admin/orders'),
      summary: 'Search orders by number, email, customer, status and date, newest first',
      request: { query: StaffQuery },
      responses: { 200: json(OrderPage, 'A page of orders') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await listOrders(deps.db, {
        status: q.status ?? null,
        email: q.email ?? null,
        number: q.number ?? null,
        customerId: q.customerId ?? null,
        from: q.from ? new Date(q.from) : null,
        to: q.to ? new Date(q.to) : null,
        before: q.cursor ?? null,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return c.json({ items: page.map(orderView), nextCursor: rows.length > q.limit && last ? last.id : null }, 200);
    },
  );

  const Detail = z.object({
    order: OrderOut,
    saga: z
      .object({
        step: z.string(),
        state: z.string(),
        attempts: z.number(),
        lastError: z.string().nullable(),
        deadline: z.string().nullable(),
      })
      .nullable(),
    notes: z.array(
      z.object({ id: z.number(), author: z.string().nullable(), body: z.string(), createdAt: z.string() }),
    ),
    refunds: z.array(RefundOut),
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/orders/{id}',
      tags,
      middleware: staffOnly('GET /admin/orders/{id}'),
      summary: 'One order with its saga state, notes and refunds (staff, returns, cancellation)',
      request: { params: IdParams },
      responses: { 200: json(Detail, 'The order') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const order = await getOrder(deps.db, id);
      if (!order) throw new NotFound(`no order ${id}`);
      const s = await getSaga(deps.db, id);
      const saga = s && {
        step: s.step,
        state: s.state,
        attempts: s.attempts,
        lastError: s.lastError,
        deadline: s.deadline?.toISOString() ?? null,
      };
      const refunds = await refundsOfOrder(deps.db, order, s);
      return c.json({ order: orderView(order), saga, notes: await notesOf(deps.db, id), refunds }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/admin/orders/{id}/cancel',
      tags,
      middleware: staffOnly('POST /admin/orders/{id}/cancel'),
      summary: 'Cancel before shipment: the saga compensates (cancel shipment, refund or void, release stock)',
      description: '409 `not_cancellable` once a parcel has left (use a return) or when already cancelled.',
      request: { params: IdParams, body: body(CancelIn) },
      responses: { 202: json(OrderOut, 'Cancelling') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { reason } = c.req.valid('json');
      const actor = callerOf(c).id;
      await deps.db.tx(async (tx) => {
        const saga = await lockSaga(tx, id);
        const order = await getOrder(tx, id);
        if (!saga || !order) throw new NotFound(`no order ${id}`);
        if (!cancellable(order)) throw new NotCancellable(`order ${order.number} is ${order.status}`);
        // The saga's refund takes what is left; a staff refund in flight would make that unknowable.
        if ((await pendingRefunds(tx, id)) > 0)
          throw new NotCancellable('a refund is in flight; cancel once it settles');
        const d = decide(
          netOfRefunds(saga, order),
          { kind: 'cancel', reason: `cancelled by staff: ${reason}` },
          deps.newId,
        );
        if (!d) throw new NotCancellable(`order ${order.number} is already being cancelled`);
        await applyDecision(deps, tx, saga, d, false);
        await audited(deps.outbox, tx, {
          actor,
          action: 'order.cancel',
          orderId: id,
          at: deps.clock(),
          details: { reason },
        });
      });
      const order = await getOrder(deps.db, id);
      if (!order) throw new NotFound(`no order ${id}`);
      return c.json(orderView(order), 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/admin/orders/{id}/notes',
      tags,
      middleware: staffOnly('POST /admin/orders/{id}/notes'),
      summary: 'Add an internal note to an order',
      request: { params: IdParams, body: body(NoteIn) },
      responses: { 201: json(z.object({ id: z.number() }), 'The note') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const text = c.req.valid('json').body;
      const actor = callerOf(c).id;
      const noteId = await deps.db.tx(async (tx) => {
        if (!(await getOrder(tx, id))) throw new NotFound(`no order ${id}`);
        const n = await addNote(tx, { orderId: id, author: actor, body: text, now: deps.clock() });
        await audited(deps.outbox, tx, {
          actor,
          action: 'order.note',
          orderId: id,
          at: deps.clock(),
          details: { noteId: n },
        });
        return n;
      });
      return c.json({ id: noteId }, 201);
    },
  );
  return app;
}
