import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { ApiError } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { Field, formatDate, Money, Notice, Pager, PostForm } from '../ui.tsx';
import { parseForm, parseParam, parseQuery } from '../validate.ts';
import {
  amountText,
  dayToIso,
  type Errors,
  Facts,
  Flash,
  FormNotice,
  type FormState,
  fieldOf,
  forbidden,
  hasRole,
  humanize,
  KEY_RE,
  money,
  newKey,
  opsMessage,
  parseAmount,
  refusal,
  SelectField,
  StatusBadge,
  TextArea,
  type Values,
  withQuery,
} from './ops-common.tsx';
import { renderAdmin } from './shell.tsx';

/** Orders for support staff and admins: search, the whole story of one order, notes, cancel and refund. */

export const ORDER_STATUSES = [
  'pending',
  'pending_payment',
  'payment_action_required',
  'processing',
  'confirmed',
  'shipped',
  'delivered',
  'cancelling',
  'cancelled',
] as const;

interface Line {
  readonly sku: string;
  readonly name: string | null;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly subtotal: number;
  readonly discount: number;
  readonly total: number;
  readonly tax: number;
}
interface Address {
  readonly name?: string;
  readonly line1?: string;
  readonly line2?: string;
  readonly city?: string;
  readonly region?: string;
  readonly postalCode?: string;
  readonly country?: string;
  readonly phone?: string;
}
export interface Order {
  readonly id: string;
  readonly number: string;
  readonly status: string;
  readonly statusReason: string | null;
  readonly customerId: string | null;
  readonly email: string | null;
  readonly currency: string;
  readonly lines: readonly Line[];
  readonly promotions: readonly { id: string; code: string | null; name: string; discount: number }[];
  readonly totals: { subtotal: number; discount: number; shipping: number; tax: number; total: number };
  readonly refunded: number;
  readonly address: Address;
  readonly shippingMethod: string;
  readonly shipments: readonly {
    shipmentId: string;
    location: string;
    carrier: string;
    trackingNumber: string;
    status: string;
    deliveredAt: string | null;
  }[];
  readonly createdAt: string;
  readonly confirmedAt: string | null;
  readonly cancelledAt: string | null;
  readonly shippedAt: string | null;
  readonly deliveredAt: string | null;
}
interface Refund {
  readonly id: string;
  readonly source: 'staff' | 'return' | 'cancellation';
  readonly status: 'requested' | 'refunded' | 'failed';
  readonly amount: number;
  readonly currency: string;
  readonly reason: string | null;
  readonly failure: string | null;
  readonly requestedBy: string | null;
  readonly returnId: string | null;
  readonly at: string | null;
}
interface Detail {
  readonly order: Order;
  readonly saga: {
    step: string;
    state: string;
    attempts: number;
    lastError: string | null;
    deadline: string | null;
  } | null;
  readonly notes: readonly { id: number; author: string | null; body: string; createdAt: string }[];
  readonly refunds: readonly Refund[];
}
interface MoneyValue {
  readonly amount: number;
  readonly currency: string;
}
interface Payment {
  readonly id: string;
  readonly provider: string;
  readonly state: string;
  readonly amount: MoneyValue;
  readonly captured: MoneyValue;
  readonly refunded: MoneyValue;
  readonly card: { brand: string; last4: string } | null;
  readonly decline: { code: string; message: string } | null;
  readonly refunds: readonly { id: string; amount: MoneyValue; state: string; reason: string; createdAt: string }[];
  readonly createdAt: string;
}
interface Shipment {
  readonly id: string;
  readonly kind: 'outbound' | 'return';
  readonly location: string;
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly status: string;
  readonly lines: readonly { sku: string; qty: number }[];
  readonly deliveredAt: string | null;
  readonly timeline: readonly { status: string; at: string; detail: string | null }[];
}
export interface Return {
  readonly id: string;
  readonly orderId: string;
  readonly status: string;
  readonly lines: readonly { sku: string; qty: number; reason: string }[];
  readonly label: { carrier: string; trackingNumber: string; labelUrl: string } | null;
  readonly refundAmount: number | null;
  readonly restocked: boolean;
  readonly createdAt: string;
}

const SECTION = '/admin/orders';
const UUID = z.uuid();

const DONE = {
  'refund-requested': 'Refund requested. It shows as refunded once the payment provider confirms it.',
  'refund-replayed': 'This refund had already been requested; nothing was refunded twice.',
  'cancel-requested': 'Cancellation started: the shipment, payment and stock are being undone.',
  'note-added': 'Note added.',
};

export const statusOptions = ORDER_STATUSES.map((s) => ({ value: s, label: humanize(s) }));

// ---------- search ----------

const SearchQuery = z.object({
  number: z.string().trim().max(60).optional(),
  email: z.string().trim().max(254).optional(),
  status: z.string().max(40).optional(),
  from: z.string().max(20).optional(),
  to: z.string().max(20).optional(),
  customer: z.string().max(64).optional(),
  cursor: z.string().max(64).optional(),
});

/** "sf-1a2b" or "1A2B" → "SF-1A2B"; undefined when it cannot be an order number. */
export function normalizeNumber(text: string): string | undefined {
  const t = text.trim().toUpperCase().replace(/^#/, '');
  const n = t.startsWith('SF-') ? t : `SF-${t}`;
  return /^SF-[A-Z0-9]{1,20}$/.test(n) ? n : undefined;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

async function searchPage(c: Context<WebEnv>) {
  const q = parseQuery(c, SearchQuery);
  const errors: Errors = {};
  const number = q.number ? normalizeNumber(q.number) : undefined;
  if (q.number && !number) errors.number = 'An order number looks like SF-1A2B3C4D5E6F.';
  if (q.email && !EMAIL_RE.test(q.email)) errors.email = 'Enter the whole email address.';
  const status = q.status && (ORDER_STATUSES as readonly string[]).includes(q.status) ? q.status : undefined;
  if (q.status && !status) errors.status = 'Choose a status from the list.';
  const from = q.from ? dayToIso(q.from) : undefined;
  const to = q.to ? dayToIso(q.to, true) : undefined;
  if (q.from && !from) errors.from = 'Enter a date.';
  if (q.to && !to) errors.to = 'Enter a date.';
  if (from && to && from >= to) errors.to = 'The end date must not be before the start date.';
  const customer = q.customer && UUID.safeParse(q.customer).success ? q.customer : undefined;
  const cursor = q.cursor && UUID.safeParse(q.cursor).success ? q.cursor : undefined;
  const bad = Object.keys(errors).length > 0;
  const page = bad
    ? { items: [] as Order[], nextCursor: null }
    : await c.get('api').get<{ items: Order[]; nextCursor: string | null }>(c, '/api/orders/admin/orders', {
        number,
        email: q.email || undefined,
        status,
        from,
        to,
        customerId: customer,
        cursor,
        limit: 50,
      });
  return renderAdmin(c, {
    title: 'Orders',
    section: SECTION,
    status: bad ? 400 : 200,
    children: (
      <>
        <h1>Orders</h1>
        <search>
          <form method="get" action="/admin/orders" class="ops-filters" aria-label="Search orders">
            {customer ? <input type="hidden" name="customer" value={customer} /> : null}
            <Field label="Order number" name="number" value={q.number} error={errors.number} maxlength={60} />
            <Field label="Customer email" name="email" type="email" value={q.email} error={errors.email} />
            <SelectField
              label="Status"
              name="status"
              options={statusOptions}
              value={q.status}
              error={errors.status}
              empty="Any status"
            />
            <Field label="Placed from" name="from" type="date" value={q.from} error={errors.from} />
            <Field label="Placed until" name="to" type="date" value={q.to} error={errors.to} />
            <button type="submit">Search orders</button>
          </form>
        </search>
        {bad ? <Notice tone="error">Please correct the search.</Notice> : null}
        {customer ? (
          <p>
            Orders of <a href={`/admin/customers/${customer}`}>one customer</a> · <a href="/admin/orders">all orders</a>
          </p>
        ) : null}
        <OrdersTable orders={page.items} caption="Orders, newest first" />
        <Pager next={page.nextCursor} base={withQuery(c, { cursor: undefined })} label="More orders" />
      </>
    ),
  });
}

export function OrdersTable(props: { orders: readonly Order[]; caption: string }) {
  if (props.orders.length === 0) return <p>No orders match.</p>;
  return (
    <table class="responsive">
      <caption class="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">Placed</th>
          <th scope="col">Customer</th>
          <th scope="col">Status</th>
          <th scope="col" class="num">
            Total
          </th>
          <th scope="col" class="num">
            Refunded
          </th>
        </tr>
      </thead>
      <tbody>
        {props.orders.map((o) => (
          <tr>
            <td data-label="Order">
              <a href={`/admin/orders/${o.id}`}>{o.number}</a>
            </td>
            <td data-label="Placed">{formatDate(o.createdAt)}</td>
            <td data-label="Customer">{o.email ?? (o.customerId ? 'Signed-in customer' : 'Guest')}</td>
            <td data-label="Status">
              <StatusBadge status={o.status} />
            </td>
            <td data-label="Total" class="num">
              {money(o.totals.total, o.currency)}
            </td>
            <td data-label="Refunded" class="num">
              {o.refunded > 0 ? money(o.refunded, o.currency) : '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// ---------- one order ----------

/** What staff can still refund: the total less what was refunded and what is being refunded. */
export function refundable(d: Detail): number {
  const inFlight = d.refunds.filter((r) => r.status === 'requested').reduce((n, r) => n + r.amount, 0);
  return Math.max(0, d.order.totals.total - d.order.refunded - inFlight);
}

const CANCELLABLE = new Set(['pending', 'pending_payment', 'payment_action_required', 'processing', 'confirmed']);
const REFUNDABLE = new Set(['confirmed', 'shipped', 'delivered', 'cancelled']);

function AddressBlock(props: { address: Address }) {
  const a = props.address;
  return (
    <address>
      {[
        a.name,
        a.line1,
        a.line2,
        [a.city, [a.region, a.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', '),
        a.country,
      ]
        .filter(Boolean)
        .map((l) => (
          <>
            {l}
            <br />
          </>
        ))}
      {a.phone ? <>Phone: {a.phone}</> : null}
    </address>
  );
}

async function orderPage(c: Context<WebEnv>, id: string, state?: FormState) {
  const api = c.get('api');
  const detail = await api.call<Detail>(c, 'GET', `/api/orders/admin/orders/${id}`);
  if (detail.status === 404 || detail.status === 422) return notFoundPage(c, 'order');
  if (detail.problem) throw new ApiError(detail.problem);
  const d = detail.body;
  const o = d.order;
  const [payments, shipments, returns, locations] = await Promise.all([
    api.call<{ items: Payment[] }>(c, 'GET', `/api/payments/orders/${id}/payments`),
    api.call<{ shipments: Shipment[] }>(c, 'GET', `/api/fulfillment/orders/${id}/shipments`),
    api.call<{ items: Return[] }>(c, 'GET', `/api/orders/orders/${id}/returns`),
    api.call<{ items: { code: string; name: string }[] }>(c, 'GET', '/api/inventory/locations', { credentials: false }),
  ]);
  const placeName = (code: string) =>
    (locations.ok ? locations.body.items.find((l) => l.code === code)?.name : undefined) ?? code;
  const q = parseQuery(c, z.object({ done: z.string().max(40).optional() }));
  const left = refundable(d);
  const refund = fieldOf(state, 'refund');
  const cancel = fieldOf(state, 'cancel');
  const note = fieldOf(state, 'note');
  const busy = o.status === 'cancelling' || d.refunds.some((r) => r.status === 'requested');
  const cur = o.currency;
  return renderAdmin(c, {
    title: `Order ${o.number}`,
    section: SECTION,
    status: state ? 422 : 200,
    // While money or a cancellation is on its way the page follows it (without script).
    refreshSeconds: busy && !state ? 5 : undefined,
    children: (
      <>
        <p class="breadcrumbs">
          <a href="/admin/orders">← Orders</a>
        </p>
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
            <section aria-labelledby="lines-h">
              <h2 id="lines-h">Items</h2>
              <table class="responsive">
                <caption class="visually-hidden">Items of order {o.number}</caption>
                <thead>
                  <tr>
                    <th scope="col">Item</th>
                    <th scope="col">SKU</th>
                    <th scope="col" class="num">
                      Qty
                    </th>
                    <th scope="col" class="num">
                      Unit price
                    </th>
                    <th scope="col" class="num">
                      Discount
                    </th>
                    <th scope="col" class="num">
                      Total
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {o.lines.map((l) => (
                    <tr>
                      <td data-label="Item">{l.name ?? l.sku}</td>
                      <td data-label="SKU">{l.sku}</td>
                      <td data-label="Qty" class="num">
                        {l.quantity}
                      </td>
                      <td data-label="Unit price" class="num">
                        {money(l.unitPrice, cur)}
                      </td>
                      <td data-label="Discount" class="num">
                        {l.discount ? `−${money(l.discount, cur)}` : '—'}
                      </td>
                      <td data-label="Total" class="num">
                        {money(l.total, cur)}
                      </td>
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
                  {o.promotions
                    .map((p) => `${p.name}${p.code ? ` (${p.code})` : ''} −${money(p.discount, cur)}`)
                    .join(', ')}
                </p>
              ) : null}
            </section>

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
                      <th scope="col" class="num">
                        Amount
                      </th>
                      <th scope="col" class="num">
                        Captured
                      </th>
                      <th scope="col" class="num">
                        Refunded
                      </th>
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
                        <td data-label="Amount" class="num">
                          <Money value={p.amount} />
                        </td>
                        <td data-label="Captured" class="num">
                          <Money value={p.captured} />
                        </td>
                        <td data-label="Refunded" class="num">
                          <Money value={p.refunded} />
                        </td>
                        <td data-label="Card">{p.card ? `${humanize(p.card.brand)} •••• ${p.card.last4}` : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>

            <section aria-labelledby="refunds-h">
              <h2 id="refunds-h">Refunds</h2>
              {d.refunds.length === 0 ? (
                <p>No refunds.</p>
              ) : (
                <table class="responsive">
                  <caption class="visually-hidden">Refunds of order {o.number}</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Source</th>
                      <th scope="col">Status</th>
                      <th scope="col" class="num">
                        Amount
                      </th>
                      <th scope="col">Reason</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.refunds.map((r) => (
                      <tr>
                        <td data-label="When">{r.at ? formatDate(r.at) : '—'}</td>
                        <td data-label="Source">{humanize(r.source)}</td>
                        <td data-label="Status">
                          <StatusBadge status={r.status} />
                          {r.failure ? <div class="muted">{r.failure}</div> : null}
                        </td>
                        <td data-label="Amount" class="num">
                          {money(r.amount, r.currency)}
                        </td>
                        <td data-label="Reason">{r.reason ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>

            <section aria-labelledby="shipments-h">
              <h2 id="shipments-h">Shipments</h2>
              {shipments.ok && shipments.body.shipments.length > 0 ? (
                shipments.body.shipments.map((s) => (
                  <article class="ops-panel">
                    <h3>
                      {s.kind === 'return'
                        ? `Return parcel to ${placeName(s.location)}`
                        : `Parcel from ${placeName(s.location)}`}
                      : <StatusBadge status={s.status} />
                    </h3>
                    <p>
                      {humanize(s.carrier)} tracking number <strong>{s.trackingNumber}</strong>
                      {s.deliveredAt ? ` · delivered ${formatDate(s.deliveredAt)}` : ''}
                    </p>
                    <p class="muted">{s.lines.map((l) => `${l.qty} × ${l.sku}`).join(', ')}</p>
                    {s.timeline.length ? (
                      <ol class="timeline">
                        {s.timeline.map((t) => (
                          <li>
                            <strong>{humanize(t.status)}</strong> · {formatDate(t.at)}
                            {t.detail ? ` · ${t.detail}` : ''}
                          </li>
                        ))}
                      </ol>
                    ) : null}
                  </article>
                ))
              ) : o.shipments.length > 0 ? (
                <ul>
                  {o.shipments.map((s) => (
                    <li>
                      {humanize(s.carrier)} {s.trackingNumber}: {humanize(s.status)}
                    </li>
                  ))}
                </ul>
              ) : (
                <p>Nothing shipped yet.</p>
              )}
              {!shipments.ok && shipments.status !== 404 ? (
                <Notice tone="warning">Tracking could not be loaded right now.</Notice>
              ) : null}
            </section>

            <section aria-labelledby="returns-h">
              <h2 id="returns-h">Returns</h2>
              {returns.ok && returns.body.items.length > 0 ? (
                <ul>
                  {returns.body.items.map((r) => (
                    <li>
                      {formatDate(r.createdAt)}: <StatusBadge status={r.status} />{' '}
                      {r.lines.map((l) => `${l.qty} × ${l.sku}`).join(', ')}
                      {r.refundAmount !== null ? ` · refund ${money(r.refundAmount, cur)}` : ''} ·{' '}
                      <a href={`/admin/returns/${r.id}?order=${o.id}`}>
                        Handle<span class="visually-hidden"> the return of {formatDate(r.createdAt)}</span>
                      </a>
                    </li>
                  ))}
                </ul>
              ) : (
                <p>No returns.</p>
              )}
            </section>
          </div>

          <aside aria-label="Customer and actions">
            <section aria-labelledby="customer-h" class="ops-panel">
              <h2 id="customer-h">Customer</h2>
              <Facts
                items={[
                  ['Email', o.email ?? '—'],
                  [
                    'Account',
                    o.customerId ? <a href={`/admin/customers/${o.customerId}`}>View customer</a> : 'Guest checkout',
                  ],
                  ['Placed', formatDate(o.createdAt)],
                  ...(o.confirmedAt ? [['Confirmed', formatDate(o.confirmedAt)] as const] : []),
                  ...(o.shippedAt ? [['Shipped', formatDate(o.shippedAt)] as const] : []),
                  ...(o.deliveredAt ? [['Delivered', formatDate(o.deliveredAt)] as const] : []),
                  ...(o.cancelledAt ? [['Cancelled', formatDate(o.cancelledAt)] as const] : []),
                ]}
              />
              <h3>Shipping address</h3>
              <AddressBlock address={o.address} />
            </section>

            <section aria-labelledby="saga-h" class="ops-panel">
              <h2 id="saga-h">Checkout saga</h2>
              {d.saga ? (
                <Facts
                  items={[
                    ['Step', humanize(d.saga.step)],
                    ['State', humanize(d.saga.state)],
                    ['Attempts', String(d.saga.attempts)],
                    ...(d.saga.deadline ? [['Deadline', formatDate(d.saga.deadline)] as const] : []),
                    ...(d.saga.lastError ? [['Last error', d.saga.lastError] as const] : []),
                  ]}
                />
              ) : (
                <p>No saga recorded.</p>
              )}
            </section>

            <section aria-labelledby="refund-h" class="ops-panel">
              <h2 id="refund-h">Refund</h2>
              <FormNotice state={state} form="refund" />
              {left > 0 && REFUNDABLE.has(o.status) ? (
                <PostForm
                  action={`/admin/orders/${o.id}/refund`}
                  csrf={c.get('csrf')}
                  data-confirm={`Refund order ${o.number}? The money goes back to the customer's card.`}
                >
                  <input type="hidden" name="key" value={refund.value('key') ?? newKey()} />
                  <p>Still refundable: {money(left, cur)}</p>
                  <Field
                    id="refund-amount"
                    label={`Amount (${cur}, optional)`}
                    name="amount"
                    inputmode="decimal"
                    value={refund.value('amount')}
                    error={refund.error('amount')}
                    hint={`Leave empty to refund all that is still refundable (${amountText(left, cur)})`}
                  />
                  <TextArea
                    id="refund-reason"
                    label="Reason"
                    name="reason"
                    value={refund.value('reason')}
                    error={refund.error('reason')}
                    maxlength={300}
                    required
                  />
                  <button type="submit" class="danger">
                    Refund
                  </button>
                </PostForm>
              ) : (
                <p>
                  {left <= 0
                    ? 'Nothing is left to refund.'
                    : 'A refund is possible once the payment is captured and the order is confirmed.'}
                </p>
              )}
            </section>

            <section aria-labelledby="cancel-h" class="ops-panel">
              <h2 id="cancel-h">Cancel</h2>
              <FormNotice state={state} form="cancel" />
              {CANCELLABLE.has(o.status) ? (
                <PostForm
                  action={`/admin/orders/${o.id}/cancel`}
                  csrf={c.get('csrf')}
                  data-confirm={`Cancel order ${o.number}? Shipment, payment and stock are undone.`}
                >
                  <TextArea
                    id="cancel-reason"
                    label="Why cancel"
                    name="reason"
                    value={cancel.value('reason')}
                    error={cancel.error('reason')}
                    maxlength={300}
                    required
                  />
                  <button type="submit" class="danger">
                    Cancel order
                  </button>
                </PostForm>
              ) : (
                <p>
                  {o.status === 'cancelled' || o.status === 'cancelling'
                    ? 'This order is cancelled.'
                    : 'A parcel has left: use a return instead.'}
                </p>
              )}
            </section>
          </aside>
        </div>

        <section aria-labelledby="notes-h">
          <h2 id="notes-h">Internal notes</h2>
          {d.notes.length === 0 ? (
            <p>No notes yet.</p>
          ) : (
            <ol class="timeline">
              {d.notes.map((n) => (
                <li>
                  <p class="muted">
                    {formatDate(n.createdAt)} · {n.author ?? 'system'}
                  </p>
                  <p class="ops-note">{n.body}</p>
                </li>
              ))}
            </ol>
          )}
          <FormNotice state={state} form="note" />
          <PostForm action={`/admin/orders/${o.id}/notes`} csrf={c.get('csrf')} class="form-narrow">
            <TextArea
              id="note-body"
              label="New note (staff only)"
              name="body"
              value={note.value('body')}
              error={note.error('body')}
              maxlength={2000}
              required
            />
            <button type="submit" class="secondary">
              Add note
            </button>
          </PostForm>
        </section>
      </>
    ),
  });
}

// ---------- actions ----------

const NoteForm = z.object({
  body: z.string().trim().min(1, 'Write the note.').max(2000, 'Keep the note under 2,000 characters.'),
});
const CancelForm = z.object({
  reason: z.string().trim().min(1, 'Say why the order is cancelled.').max(300, 'At most 300 characters.'),
});
const RefundForm = z.object({
  key: z.string().regex(KEY_RE, 'Reload the page and try again.'),
  amount: z.string().trim().max(20, 'Enter an amount such as 12.50.').optional(),
  reason: z.string().trim().min(1, 'Say why you refund.').max(300, 'At most 300 characters.'),
});

async function postNote(c: Context<WebEnv>, id: string) {
  const f = await parseForm(c, NoteForm);
  if (!f.ok) return orderPage(c, id, { form: 'note', values: f.raw, errors: f.errors });
  const r = await c.get('api').call(c, 'POST', `/api/orders/admin/orders/${id}/notes`, { json: f.data });
  if (r.status === 404) return notFoundPage(c, 'order');
  if (!r.ok) return orderPage(c, id, refusal('note', f.raw, r));
  return c.redirect(`/admin/orders/${id}?done=note-added#notes-h`, 303);
}

async function postCancel(c: Context<WebEnv>, id: string) {
  const f = await parseForm(c, CancelForm);
  if (!f.ok) return orderPage(c, id, { form: 'cancel', values: f.raw, errors: f.errors });
  const r = await c.get('api').call(c, 'POST', `/api/orders/admin/orders/${id}/cancel`, { json: f.data });
  if (r.status === 404) return notFoundPage(c, 'order');
  if (!r.ok) {
    const detail = typeof r.problem?.detail === 'string' ? r.problem.detail : '';
    return orderPage(
      c,
      id,
      refusal('cancel', f.raw, r, {
        not_cancellable: /refund is in flight/.test(detail)
          ? 'A refund is on its way: cancel once it has settled.'
          : 'This order can no longer be cancelled (a parcel has left, or it is already cancelled). Use a return instead.',
      }),
    );
  }
  return c.redirect(`/admin/orders/${id}?done=cancel-requested`, 303);
}

async function postRefund(c: Context<WebEnv>, id: string) {
  const f = await parseForm(c, RefundForm);
  const values: Values = { ...f.raw, key: KEY_RE.test(f.raw.key ?? '') ? (f.raw.key as string) : newKey() };
  if (!f.ok) return orderPage(c, id, { form: 'refund', values, errors: f.errors });
  const api = c.get('api');
  let amount: number | undefined;
  if (f.data.amount) {
    // The currency decides the decimals: read it from the order.
    const d = await api.call<Detail>(c, 'GET', `/api/orders/admin/orders/${id}`);
    if (d.status === 404 || d.status === 422) return notFoundPage(c, 'order');
    const currency = d.ok ? d.body.order.currency : c.get('config').SHOP_CURRENCY;
    amount = parseAmount(f.data.amount, currency);
    if (!amount) {
      return orderPage(c, id, {
        form: 'refund',
        values,
        errors: { amount: `Enter an amount such as ${amountText(1250, currency)}, more than zero.` },
      });
    }
  }
  const r = await api.call<{ replayed: boolean }>(c, 'POST', `/api/orders/admin/orders/${id}/refund`, {
    json: { reason: f.data.reason, ...(amount ? { amount } : {}) },
    headers: { 'idempotency-key': f.data.key },
  });
  if (r.status === 404) return notFoundPage(c, 'order');
  if (!r.ok) {
    const p = r.problem;
    const d = await api.call<Detail>(c, 'GET', `/api/orders/admin/orders/${id}`);
    const currency = d.ok ? d.body.order.currency : c.get('config').SHOP_CURRENCY;
    const state = refusal('refund', values, r, {
      refund_exceeds_refundable:
        typeof p?.refundable === 'number'
          ? `Only ${money(p.refundable, currency)} can still be refunded.`
          : 'That is more than can still be refunded.',
      not_refundable:
        'Nothing can be refunded right now: the payment is not captured yet, a refund is on its way, or all of it was refunded.',
    });
    // A definite refusal frees the key (the next try is a new refund); no answer keeps it, so a retry refunds once.
    if (r.status < 500) state.values.key = newKey();
    return orderPage(c, id, state);
  }
  return c.redirect(`/admin/orders/${id}?done=${r.body?.replayed ? 'refund-replayed' : 'refund-requested'}`, 303);
}

export function ordersAdmin(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const guard = async (c: Context<WebEnv>, next: () => Promise<void>) => {
    if (!hasRole(c, 'support')) return forbidden(c, 'Order management', 'support');
    await next();
  };
  app.use('/orders', guard);
  app.use('/orders/*', guard);
  app.get('/orders', searchPage);
  const withId =
    (fn: (c: Context<WebEnv>, id: string) => Promise<Response>) =>
    (c: Context<WebEnv>): Promise<Response> => {
      const id = parseParam(c.req.param('id'), UUID);
      return id ? fn(c, id) : notFoundPage(c, 'order');
    };
  app.get(
    '/orders/:id',
    withId((c, id) => orderPage(c, id)),
  );
  app.post('/orders/:id/notes', withId(postNote));
  app.post('/orders/:id/cancel', withId(postCancel));
  app.post('/orders/:id/refund', withId(postRefund));
  return app;
}
