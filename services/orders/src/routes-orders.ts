import { type AuthEnv, callerOf, createRoute, createRouter, NotFound, requireCaller, z } from '@storefront/kit';
import { readerOf } from './access.ts';
import type { OrdersDeps } from './app.ts';
import { canRead } from './domain.ts';
import { IdParams, json, ORDER_TOKEN_HEADER, OrderOut, OrderPage, PageQuery } from './schemas.ts';
import { getOrder, listOrders } from './store-orders.ts';
import { orderView } from './views.ts';

const tags = ['orders'];

/** The customer's order history, and one order for its customer, its guest (with the order token) or staff. */
export function orderRoutes(deps: OrdersDeps) {
  const app = createRouter<AuthEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/orders',
      tags,
      middleware: [requireCaller()],
      summary: "The signed-in customer's orders, newest first",
      request: { query: PageQuery },
      responses: { 200: json(OrderPage, 'A page of orders') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await listOrders(deps.db, {
        customerId: callerOf(c).id,
        before: q.cursor ?? null,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return c.json({ items: page.map(orderView), nextCursor: rows.length > q.limit && last ? last.id : null }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/orders/{id}',
      tags,
      summary: 'One order and its honest status (guests send X-Order-Token)',
      request: {
        params: IdParams,
        headers: z.object({ [ORDER_TOKEN_HEADER]: z.string().max(128).optional() }),
      },
      responses: { 200: json(OrderOut, 'The order') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const reader = readerOf(c, deps.orderTokenSecret, id);
      const order = reader ? await getOrder(deps.db, id) : null;
      if (!order || !reader || !canRead(reader, order)) throw new NotFound(`no order ${id}`);
      return c.json(orderView(order), 200);
    },
  );
  return app;
}
