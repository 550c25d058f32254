import type { Context } from 'hono';
import { Hono } from 'hono';
import { raw } from 'hono/html';
import { z } from 'zod';
import { ApiError } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { Main, renderPage } from '../layout.tsx';
import { OrderAddress, OrderItems, OrderTotals } from '../order-parts.tsx';
import { formatDate, Notice } from '../ui.tsx';
import { parseParam } from '../validate.ts';
import { orderWentThrough } from './cart-session.ts';
import { safeActionUrl } from './checkout.tsx';
import { declineText, paymentFailed } from './messages.ts';
import { orderTokenFor } from './order-cookies.ts';
import type { Order, OrderStatus } from './types.ts';

const Id = z.uuid();

/** Statuses the page keeps following (shop.js polls; without script a noscript refresh). */
const LIVE = new Set<OrderStatus>([
  'pending',
  'pending_payment',
  'payment_action_required',
  'processing',
  'cancelling',
]);
const WENT_THROUGH = new Set<OrderStatus>(['processing', 'confirmed', 'shipped', 'delivered']);

const LABEL: Record<OrderStatus, string> = {
  pending: 'Received',
  pending_payment: 'Checking payment',
  payment_action_required: 'Waiting for your bank',
  processing: 'Processing',
  confirmed: 'Confirmed',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelling: 'Cancelling',
  cancelled: 'Cancelled',
};

function heading(o: Order): string {
  switch (o.status) {
    case 'pending':
    case 'pending_payment':
    case 'processing':
      return 'Thank you! We are confirming your order';
    case 'payment_action_required':
      return 'Please confirm your payment';
    case 'confirmed':
      return 'Thank you! Your order is confirmed';
    case 'shipped':
      return 'Your order is on its way';
    case 'delivered':
      return 'Your order was delivered';
    default:
      return paymentFailed(o.statusReason) ? 'We could not take your payment' : 'Your order was cancelled';
  }
}

function nextSteps(o: Order): string[] {
  switch (o.status) {
    case 'pending':
    case 'pending_payment':
    case 'processing':
      return [
        'We are reserving your items and authorizing your payment. This page updates by itself.',
        'Your card is charged only when your parcel ships.',
      ];
    case 'payment_action_required':
      return [
        'Your bank asks you to confirm this payment (3-D Secure). Nothing is charged until you do.',
        'If you do not confirm it, the order is cancelled and your cart stays as it was.',
      ];
    case 'confirmed':
      return [
        'Your items are reserved and your payment is authorized.',
        'We will pack your order and email you the tracking details when it ships.',
      ];
    case 'shipped':
      return ['Your parcel has left our warehouse. Follow it with the tracking number below.'];
    case 'delivered':
      return ['Enjoy! You can return items within 30 days of delivery from your account.'];
    default:
      return ['Nothing was charged, and any payment hold is released by your bank.'];
  }
}

async function loadOrder(c: Context<WebEnv>, id: string): Promise<Order | undefined> {
  const r = await c.get('api').call<Order>(c, 'GET', `/api/orders/orders/${id}`, {
    headers: { 'x-order-token': orderTokenFor(c, id) },
  });
  if (r.status === 404 || r.status === 401 || r.status === 403) return undefined;
  if (r.problem) throw new ApiError(r.problem);
  return r.body;
}

export function orderRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  // The status, for the page's script to follow without reloading the whole page every few seconds.
  app.get('/orders/:id/status', async (c) => {
    const id = parseParam(c.req.param('id'), Id);
    c.header('cache-control', 'no-store');
    if (!id) return c.json({ status: null }, 404);
    const order = await loadOrder(c, id);
    if (!order) return c.json({ status: null }, 404);
    return c.json({ status: order.status }, 200);
  });

  app.get('/orders/:id', async (c) => {
    const id = parseParam(c.req.param('id'), Id);
    if (!id) return notFoundPage(c, 'order');
    const order = await loadOrder(c, id);
    if (!order) {
      return renderPage(c, {
        title: 'Order not found',
        status: 404,
        noStore: true,
        children: (
          <Main class="message-page">
            <h1>We can't find that order</h1>
            <p>
              Guest orders open from the browser they were placed in.{' '}
              {c.get('viewer') ? (
                <a href="/account/orders">See your orders</a>
              ) : (
                <>
                  If you have an account,{' '}
                  <a href={`/account/sign-in?next=${encodeURIComponent(`/orders/${id}`)}`}>sign in</a> to see it.
                </>
              )}
            </p>
          </Main>
        ),
      });
    }
    if (WENT_THROUGH.has(order.status)) await orderWentThrough(c, order.id);
    const live = LIVE.has(order.status);
    const failedPayment = order.status === 'cancelled' && paymentFailed(order.statusReason);
    const action = order.status === 'payment_action_required' ? safeActionUrl(c, order.actionUrl) : undefined;
    return renderPage(c, {
      title: `Order ${order.number}`,
      noStore: true,
      scripts: ['shop.js'],
      children: (
        <Main class="order-page">
          {live ? (
            <noscript>
              {/* Raw: Hono's JSX would hoist a <meta> into <head>, out of the noscript. */}
              {raw('<meta http-equiv="refresh" content="5">')}
            </noscript>
          ) : null}
          <h1>{heading(order)}</h1>
          <p>
            Order <strong>{order.number}</strong> · placed {formatDate(order.createdAt)}
            {order.email ? <> · confirmation to {order.email}</> : null}
          </p>
          <p
            class="order-status"
            role="status"
            data-order-poll={live ? `/orders/${order.id}/status` : undefined}
            data-status={order.status}
          >
            Status: <span class={`status status-${order.status}`}>{LABEL[order.status]}</span>
            {live ? <span class="muted small"> — this page updates by itself</span> : null}
          </p>
          {action ? (
            <p>
              <a class="button" href={action}>
                Confirm the payment with your bank
              </a>
            </p>
          ) : null}
          {order.status === 'cancelled' || order.status === 'cancelling' ? (
            <Notice tone="error">
              {declineText(order.statusReason)}{' '}
              {failedPayment ? (
                <>
                  Nothing was charged and your cart is saved. <a href="/checkout">Try another card</a>.
                </>
              ) : (
                <>
                  Nothing was charged. <a href="/cart">Go to your cart</a>.
                </>
              )}
            </Notice>
          ) : null}
          <section aria-labelledby="next-title">
            <h2 id="next-title">What happens next</h2>
            <ul>
              {nextSteps(order).map((s) => (
                <li>{s}</li>
              ))}
            </ul>
          </section>
          <div class="two-col">
            <section aria-labelledby="items-title">
              <h2 id="items-title">Items</h2>
              <OrderItems order={order} />
              {order.shipments.length > 0 ? (
                <>
                  <h2>Tracking</h2>
                  <ul>
                    {order.shipments.map((s) => (
                      <li>
                        {s.carrier} {s.trackingNumber}: {s.status.replaceAll('_', ' ')}
                        {s.deliveredAt ? ` (delivered ${formatDate(s.deliveredAt)})` : ''}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </section>
            <aside class="summary" aria-labelledby="totals-title">
              <h2 id="totals-title">Totals</h2>
              <OrderTotals order={order} />
              <h3>Shipping to</h3>
              <OrderAddress address={order.address} />
            </aside>
          </div>
          <p>
            {c.get('viewer') ? (
              <>
                <a href={`/account/orders/${order.id}`}>See this order in your account</a> ·{' '}
              </>
            ) : null}
            <a href="/">Continue shopping</a>
          </p>
        </Main>
      ),
    });
  });

  return app;
}
