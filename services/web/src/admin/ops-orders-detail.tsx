import type { Context } from 'hono';
import { z } from 'zod';
import { ApiError, type ApiResult } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { formatDate, Money, Notice } from '../ui.tsx';
import { parseQuery } from '../validate.ts';
import { Flash, type FormState, humanize, money, opsMessage, StatusBadge } from './ops-common.tsx';
import { onOrderDesk } from './ops-order-roles.ts';
import {
  CancelPanel,
  CustomerPanel,
  NotesSection,
  RefundPanel,
  ReturnsSection,
  SagaPanel,
  ShipmentsSection,
} from './ops-orders-panels.tsx';
import type { Detail, Order, Payment, Return, Shipment } from './ops-orders-types.ts';
import { BackLink, NumTd, NumTh } from './ops-parts.tsx';
import { renderAdmin } from './shell.tsx';

/** One order's whole story for staff: items and totals, payments, refunds, shipments, returns, the saga, notes and the actions. */

export const DONE = {
  'refund-requested': 'Refund requested. It shows as refunded once the payment provider confirms it.',
  'refund-replayed': 'This refund had already been requested; nothing was refunded twice.',
  'cancel-requested': 'Cancellation started: the shipment, payment and stock are being undone.',
  'note-added': 'Note added.',
};

/** The order as staff read it (GET /admin/orders/{id}); undefined when there is no such order. */
export async function loadOrder(c: Context<WebEnv>, id: string): Promise<ApiResult<Detail> | undefined> {
  const detail = await c.get('api').call<Detail>(c, 'GET', `/api/orders/admin/orders/${id}`);
  return detail.status === 404 || detail.status === 422 ? undefined : detail;
}

export async function orderPage(c: Context<WebEnv>, id: string, state?: FormState) {
  const api = c.get('api');
  const detail = await loadOrder(c, id);
  if (!detail) return notFoundPage(c, 'order');
  if (detail.problem) throw new ApiError(detail.problem);
  const d = detail.body;
  const o = d.order;
  // Payments, refunds, cancellations and notes are the desk's; the warehouse reads the rest.
  const desk = onOrderDesk(c);
  const [payments, shipments, returns, locations] = await Promise.all([
    desk ? api.call<{ items: Payment[] }>(c, 'GET', `/api/payments/orders/${id}/payments`) : undefined,
    api.call<{ shipments: Shipment[] }>(c, 'GET', `/api/fulfillment/orders/${id}/shipments`),
    api.call<{ items: Return[] }>(c, 'GET', `/api/orders/orders/${id}/returns`),
    api.call<{ items: { code: string; name: string }[] }>(c, 'GET', '/api/inventory/locations', { credentials: false }),
  ]);
  const placeName = (code: string) =>
    (locations.ok ? locations.body.items.find((l) => l.code === code)?.name : undefined) ?? code;
  const q = parseQuery(c, z.object({ done: z.string().max(40).optional() }));
  const busy = o.status === 'cancelling' || d.refunds.some((r) => r.status === 'requested');
  const forms = { c, state, order: o };
  return renderAdmin(c, {
    title: `Order ${o.number}`,
    section: '/admin/orders',
    status: state ? 422 : 200,
    // While money or a cancellation is on its way the page follows it (without script).
    refreshSeconds: busy && !state ? 5 : undefined,
    children: (
      <>
        <BackLink href="/admin/orders">Orders</BackLink>
        <h1>
          Order {o.number} <StatusBadge status={o.status} />
        </h1>
        <Flash done={state ? undefined : q.done} messages={DONE} />
        {o.statusReason ? <p>Reason: {o.statusReason}</p> : null}
        {busy ? (
          <p class="muted" role="status">
            Work in progress: this page refreshes every few seconds.
          </p>
        ) : null}

        <div class="two-col">
          <div>
            <ItemsSection order={o} />
            {payments ? <PaymentsSection order={o} payments={payments} /> : null}
            <RefundsSection order={o} refunds={d.refunds} />
            <ShipmentsSection order={o} shipments={shipments} placeName={placeName} />
            <ReturnsSection order={o} returns={returns} />
          </div>

          <aside aria-label="Customer and actions">
            <CustomerPanel order={o} linkCustomer={onOrderDesk(c)} />
            <SagaPanel saga={d.saga} />
            {desk ? (
              <>
                <RefundPanel {...forms} detail={d} />
                <CancelPanel {...forms} />
              </>
            ) : null}
          </aside>
        </div>

        <NotesSection {...forms} notes={d.notes} canAdd={desk} />
      </>
    ),
  });
}

function ItemsSection(props: { order: Order }) {
  const o = props.order;
  const cur = o.currency;
  return (
    <section aria-labelledby="lines-h">
      <h2 id="lines-h">Items</h2>
      <table class="responsive">
        <caption class="visually-hidden">Items of order {o.number}</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">SKU</th>
            <NumTh>Qty</NumTh>
            <NumTh>Unit price</NumTh>
            <NumTh>Discount</NumTh>
            <NumTh>Total</NumTh>
          </tr>
        </thead>
        <tbody>
          {o.lines.map((l) => (
            <tr>
              <td data-label="Item">{l.name ?? l.sku}</td>
              <td data-label="SKU">{l.sku}</td>
              <NumTd label="Qty">{l.quantity}</NumTd>
              <NumTd label="Unit price">{money(l.unitPrice, cur)}</NumTd>
              <NumTd label="Discount">{l.discount ? `−${money(l.discount, cur)}` : '—'}</NumTd>
              <NumTd label="Total">{money(l.total, cur)}</NumTd>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="summary">
        <dl>
          <dt>Subtotal</dt>
          <dd>{money(o.totals.subtotal, cur)}</dd>
          {o.totals.discount ? (
            <>
              <dt>Discount</dt>
              <dd>−{money(o.totals.discount, cur)}</dd>
            </>
          ) : null}
          <dt>Shipping ({humanize(o.shippingMethod)})</dt>
          <dd>{money(o.totals.shipping, cur)}</dd>
          <dt>Tax</dt>
          <dd>{money(o.totals.tax, cur)}</dd>
          <dt>Total</dt>
          <dd>
            <strong>{money(o.totals.total, cur)}</strong>
          </dd>
          <dt>Refunded</dt>
          <dd>{money(o.refunded, cur)}</dd>
        </dl>
      </div>
      {o.promotions.length ? (
        <p>
          Promotions:{' '}
          {o.promotions.map((p) => `${p.name}${p.code ? ` (${p.code})` : ''} −${money(p.discount, cur)}`).join(', ')}
        </p>
      ) : null}
    </section>
  );
}

function PaymentsSection(props: { order: Order; payments: ApiResult<{ items: Payment[] }> }) {
  const o = props.order;
  const payments = props.payments;
  return (
    <section aria-labelledby="payments-h">
      <h2 id="payments-h">Payments</h2>
      {!payments.ok ? (
        <Notice tone="warning">
          The payments could not be loaded: {opsMessage(payments.problem ?? { status: 503 })}
        </Notice>
      ) : payments.body.items.length === 0 ? (
        <p>No payment yet.</p>
      ) : (
        <table class="responsive">
          <caption class="visually-hidden">Payments of order {o.number}</caption>
          <thead>
            <tr>
              <th scope="col">Payment</th>
              <th scope="col">State</th>
              <NumTh>Amount</NumTh>
              <NumTh>Captured</NumTh>
              <NumTh>Refunded</NumTh>
              <th scope="col">Card</th>
            </tr>
          </thead>
          <tbody>
            {payments.body.items.map((p) => (
              <tr>
                <td data-label="Payment">
                  {humanize(p.provider)} · {formatDate(p.createdAt)}
                </td>
                <td data-label="State">
                  <StatusBadge status={p.state} />
                  {p.decline ? <div class="muted">{p.decline.message}</div> : null}
                </td>
                <NumTd label="Amount">
                  <Money value={p.amount} />
                </NumTd>
                <NumTd label="Captured">
                  <Money value={p.captured} />
                </NumTd>
                <NumTd label="Refunded">
                  <Money value={p.refunded} />
                </NumTd>
                <td data-label="Card">{p.card ? `${humanize(p.card.brand)} •••• ${p.card.last4}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RefundsSection(props: { order: Order; refunds: Detail['refunds'] }) {
  const o = props.order;
  return (
    <section aria-labelledby="refunds-h">
      <h2 id="refunds-h">Refunds</h2>
      {props.refunds.length === 0 ? (
        <p>No refunds.</p>
      ) : (
        <table class="responsive">
          <caption class="visually-hidden">Refunds of order {o.number}</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Source</th>
              <th scope="col">Status</th>
              <NumTh>Amount</NumTh>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {props.refunds.map((r) => (
              <tr>
                <td data-label="When">{r.at ? formatDate(r.at) : '—'}</td>
                <td data-label="Source">{humanize(r.source)}</td>
                <td data-label="Status">
                  <StatusBadge status={r.status} />
                  {r.failure ? <div class="muted">{r.failure}</div> : null}
                </td>
                <NumTd label="Amount">{money(r.amount, r.currency)}</NumTd>
                <td data-label="Reason">{r.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
