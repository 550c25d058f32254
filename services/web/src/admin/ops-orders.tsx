import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { Field, formatDate, Notice, Pager } from '../ui.tsx';
import { parseQuery } from '../validate.ts';
import { type Errors, humanize, money, SelectField, StatusBadge, withQuery } from './ops-common.tsx';
import { deskOnly, guardOrderSection } from './ops-order-roles.ts';
import { postCancel, postNote, postRefund } from './ops-orders-actions.ts';
import { orderPage } from './ops-orders-detail.tsx';
import { ORDER_STATUSES, type Order } from './ops-orders-types.ts';
import { DayRangeFields, dayRange, NumTd, NumTh, withParam } from './ops-parts.tsx';
import { renderAdmin } from './shell.tsx';

/**
 * Orders for support and fulfillment staff and admins (refund, cancel and notes: support and admins): the search and its table (here), the whole story of one order
 * (ops-orders-detail, ops-orders-panels), notes, cancel and refund (ops-orders-actions).
 */

const SECTION = '/admin/orders';
const UUID = z.uuid();

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
  const { from, to } = dayRange(q, errors);
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
            <DayRangeFields labels={['Placed from', 'Placed until']} from={q.from} to={q.to} errors={errors} />
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
          <NumTh>Total</NumTh>
          <NumTh>Refunded</NumTh>
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
            <NumTd label="Total">{money(o.totals.total, o.currency)}</NumTd>
            <NumTd label="Refunded">{o.refunded > 0 ? money(o.refunded, o.currency) : '—'}</NumTd>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ordersAdmin(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  guardOrderSection(app, '/orders', 'Order management');
  app.get('/orders', searchPage);
  const withId = withParam('id', UUID, 'order');
  app.get(
    '/orders/:id',
    withId((c, id) => orderPage(c, id)),
  );
  app.post('/orders/:id/notes', withId(deskOnly('Adding notes', postNote)));
  app.post('/orders/:id/cancel', withId(deskOnly('Cancelling an order', postCancel)));
  app.post('/orders/:id/refund', withId(deskOnly('Refunding an order', postRefund)));
  return app;
}
