import { Hono } from 'hono';
import { raw } from 'hono/html';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { OrderAddress, OrderItems, OrderTotals } from '../order-parts.tsx';
import { formatDate, Money, Notice, Pager } from '../ui.tsx';
import { parseParam, parseQuery } from '../validate.ts';
import {
  capitalise,
  Id,
  liveSeconds,
  loadOrder,
  loadReturns,
  ORDER_STATUS,
  PAGE_SIZE,
  Payments,
  Returns,
  returnability,
  StatusBadge,
  safeHref,
  Tracking,
} from './order-parts.tsx';
import { returnRoutes } from './order-returns.tsx';
import type { Order, Payment, Shipment } from './order-types.ts';
import { renderAccount } from './shared.tsx';

const OrdersQuery = z.object({ cursor: z.uuid('That page link is not valid').optional() });
const DetailQuery = z.object({ done: z.string().max(40).optional() });

/** Order history, one order with its live status and tracking, and returns. */
export function orderRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get('/orders', async (c) => {
    const { cursor } = parseQuery(c, OrdersQuery);
    const page = await c
      .get('api')
      .get<{ items: Order[]; nextCursor: string | null }>(c, '/api/orders/orders', { cursor, limit: PAGE_SIZE });
    return renderAccount(c, {
      title: 'Your orders',
      current: '/account/orders',
      children: (
        <>
          <h1>Your orders</h1>
          {page.items.length === 0 ? (
            cursor ? (
              <p>
                No more orders. <a href="/account/orders">Back to your latest orders</a>
              </p>
            ) : (
              <p>
                You have no orders yet. <a href="/">Start shopping</a>
              </p>
            )
          ) : (
            <table class="responsive acct-orders">
              <caption class="visually-hidden">Your orders, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Placed</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="num">
                    Items
                  </th>
                  <th scope="col" class="num">
                    Total
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((o) => (
                  <tr>
                    <td data-label="Order">
                      <a href={`/account/orders/${o.id}`}>{o.number}</a>
                    </td>
                    <td data-label="Placed">{formatDate(o.createdAt)}</td>
                    <td data-label="Status">
                      <StatusBadge status={o.status} label={ORDER_STATUS[o.status]?.label ?? o.status} />
                    </td>
                    <td data-label="Items" class="num">
                      {o.lines.reduce((n, l) => n + l.quantity, 0)}
                    </td>
                    <td data-label="Total" class="num">
                      <Money value={{ amount: o.totals.total, currency: o.currency }} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {cursor && page.items.length > 0 ? (
            <p>
              <a href="/account/orders">← Latest orders</a>
            </p>
          ) : null}
          <Pager next={page.nextCursor} base="/account/orders" label="Older orders" />
        </>
      ),
    });
  });

  app.get('/orders/:id', async (c) => {
    const id = parseParam(c.req.param('id'), Id);
    if (!id) return notFoundPage(c, 'order');
    const { done } = parseQuery(c, DetailQuery);
    const api = c.get('api');
    const order = await loadOrder(c, id);
    const [returns, shipments, payments] = await Promise.all([
      loadReturns(c, id),
      api
        .call<{ shipments: Shipment[] }>(c, 'GET', `/api/fulfillment/orders/${id}/shipments`)
        .then((r) => (r.ok && Array.isArray(r.body?.shipments) ? r.body.shipments : [])),
      api
        .call<{ items: Payment[] }>(c, 'GET', `/api/payments/orders/${id}/payments`)
        .then((r) => (r.ok && Array.isArray(r.body?.items) ? r.body.items : [])),
    ]);
    const st = ORDER_STATUS[order.status] ?? { label: order.status, about: '' };
    const live = liveSeconds(order, returns ?? []);
    const can = returnability(order, returns ?? []);
    const action = order.status === 'payment_action_required' ? safeHref(order.actionUrl) : undefined;
    return renderAccount(c, {
      title: `Order ${order.number}`,
      current: '/account/orders',
      children: (
        <>
          {live ? (
            // Without script the page reloads itself; with script account.js updates it in place
            // (a <meta> refresh is an accessibility failure when script could do better). Raw,
            // because Hono's JSX would hoist a <meta> into <head>, outside the <noscript>.
            <noscript>{raw(`<meta http-equiv="refresh" content="${live}">`)}</noscript>
          ) : null}
          <p class="acct-back">
            <a href="/account/orders">← All orders</a>
          </p>
          <h1>Order {order.number}</h1>
          <p class="muted">Placed {formatDate(order.createdAt)}</p>
          {done === 'return-requested' ? (
            <Notice tone="success">
              Your return request is in. We will review it shortly; the return label will appear on this page.
            </Notice>
          ) : null}
          <p class="acct-order-status" role="status" id="order-status">
            Status: <StatusBadge status={order.status} label={st.label} /> {st.about}
          </p>
          <div id="order-live" data-live={live ? String(live) : undefined}>
            {live ? <p class="muted">This page updates by itself.</p> : null}
            {action ? (
              <p>
                <a class="button" href={action}>
                  Confirm the payment with your bank
                </a>
              </p>
            ) : null}
            {order.status === 'cancelled' && order.statusReason ? (
              <Notice tone="warning">Why: {capitalise(order.statusReason)}</Notice>
            ) : null}
            <Tracking shipments={shipments} />
            <Payments payments={payments} />
            {returns ? (
              <Returns order={order} returns={returns} shipments={shipments} />
            ) : (
              <p class="muted">We could not load the returns of this order just now.</p>
            )}
            <section aria-labelledby="return-h">
              <h2 id="return-h">Return items</h2>
              {can.ok ? (
                <p>
                  You can return items until {formatDate(can.until.toISOString())}.{' '}
                  <a class="button" href={`/account/orders/${order.id}/return`}>
                    Request a return
                  </a>
                </p>
              ) : (
                <p>{can.why}</p>
              )}
            </section>
          </div>
          <div class="two-col acct-order-body">
            <section aria-labelledby="items-h">
              <h2 id="items-h">Items</h2>
              <OrderItems order={order} />
            </section>
            <aside class="summary" aria-labelledby="summary-h">
              <h2 id="summary-h">Summary</h2>
              <OrderTotals order={order} />
              <h3>Delivery address</h3>
              <OrderAddress address={order.address} />
            </aside>
          </div>
        </>
      ),
    });
  });
  app.route('/', returnRoutes());

  return app;
}
