import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { ApiError } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { Field, formatDate, Notice, Pager, PostForm } from '../ui.tsx';
import { parseForm, parseQuery } from '../validate.ts';
import {
  amountText,
  Facts,
  Flash,
  FormNotice,
  type FormState,
  fieldOf,
  forbidden,
  humanize,
  money,
  parseAmount,
  refusal,
  SelectField,
  StatusBadge,
  TextArea,
  withQuery,
} from './ops-common.tsx';
import { LOCATION_RE, loadLocations, locationOptions } from './ops-inventory-shared.tsx';
import { deskOnly, guardOrderSection, onOrderDesk } from './ops-order-roles.ts';
import type { Order, Return } from './ops-orders-types.ts';
import { BackLink, bound, idTail, NumTd, NumTh, withParam } from './ops-parts.tsx';
import { renderAdmin } from './shell.tsx';

/**
 * The returns queue (support and fulfillment staff, admins): receive the parcel, inspect and refund; approve with a
 * destination, reject with a reason, or refund less than the rules give: support and admins (ops-order-roles.ts).
 */

export const RETURN_STATUSES = [
  'requested',
  'approved',
  'rejected',
  'label_created',
  'received',
  'refunding',
  'refunded',
  'refund_failed',
] as const;

const SECTION = '/admin/returns';
const UUID = z.uuid();

const DONE = {
  approved: 'Return approved: a return label is on its way to the customer.',
  rejected: 'Return rejected. The customer sees the reason.',
  inspected: 'Inspection recorded: the refund and the restock are on their way.',
  received: 'Marked as received: the parcel is here, ready to inspect.',
};

/** Statuses where the goods are (or will be) with us and can be inspected. */
const INSPECTABLE = new Set(['approved', 'label_created', 'received']);
/** Statuses where the parcel is still on its way back (the warehouse marks it received when it arrives unscanned). */
const IN_TRANSIT = new Set(['approved', 'label_created']);

/** A return as staff see it (GET /admin/returns and /admin/returns/{id}): with its order's number and currency. */
export interface StaffReturn extends Return {
  readonly orderNumber: string;
  readonly currency: string;
}
export interface ReturnDetail extends StaffReturn {
  /** The customer's note. */
  readonly note: string | null;
  /** Why staff rejected it. */
  readonly rejection: string | null;
  readonly toLocation: string | null;
  readonly refund: {
    state: 'none' | 'requested' | 'refunded' | 'failed';
    id: string | null;
    amount: number | null;
    shipping: boolean;
  };
  readonly restockLocation: string | null;
  readonly updatedAt: string;
}

const REFUND_STATE = {
  none: 'Not yet',
  requested: 'On its way',
  refunded: 'Refunded',
  failed: 'Failed',
} as const;

const returnLink = (r: Return) => `/admin/returns/${r.id}`;
const shortId = (id: string) => idTail(id).toUpperCase();

async function queuePage(c: Context<WebEnv>) {
  const q = parseQuery(
    c,
    z.object({
      status: z.string().max(40).optional(),
      cursor: z.string().max(64).optional(),
    }),
  );
  // The work queue by default: what waits for a decision.
  const status =
    q.status === 'all'
      ? undefined
      : q.status && (RETURN_STATUSES as readonly string[]).includes(q.status)
        ? q.status
        : 'requested';
  const cursor = q.cursor && UUID.safeParse(q.cursor).success ? q.cursor : undefined;
  const page = await c
    .get('api')
    .get<{ items: StaffReturn[]; nextCursor: string | null }>(c, '/api/orders/admin/returns', {
      status,
      cursor,
      limit: 50,
    });
  const current = status ?? 'all';
  return renderAdmin(c, {
    title: 'Returns',
    section: SECTION,
    children: (
      <>
        <h1>Returns</h1>
        <nav class="ops-subnav" aria-label="Returns by status">
          {[...RETURN_STATUSES, 'all'].map((s) => (
            <a href={`/admin/returns?status=${s}`} aria-current={current === s ? 'page' : undefined}>
              {s === 'all' ? 'All' : humanize(s)}
            </a>
          ))}
        </nav>
        {page.items.length === 0 ? (
          <p>No returns {status ? `are ${humanize(status).toLowerCase()}` : 'yet'}.</p>
        ) : (
          <table class="responsive">
            <caption class="visually-hidden">Returns, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Return</th>
                <th scope="col">Order</th>
                <th scope="col">Requested</th>
                <th scope="col">Status</th>
                <th scope="col">Items</th>
                <th scope="col">Label</th>
                <NumTh>Refund</NumTh>
              </tr>
            </thead>
            <tbody>
              {page.items.map((r) => (
                <tr>
                  <td data-label="Return">
                    <a href={returnLink(r)}>
                      {r.status === 'requested' ? 'Review' : 'Open'} return {shortId(r.id)}
                    </a>
                  </td>
                  <td data-label="Order">{r.orderNumber ?? '—'}</td>
                  <td data-label="Requested">{formatDate(r.createdAt)}</td>
                  <td data-label="Status">
                    <StatusBadge status={r.status} />
                  </td>
                  <td data-label="Items">
                    {r.lines.map((l) => `${l.qty} × ${l.sku} (${humanize(l.reason).toLowerCase()})`).join(', ')}
                  </td>
                  <td data-label="Label">{r.label ? `${humanize(r.label.carrier)} ${r.label.trackingNumber}` : '—'}</td>
                  <NumTd label="Refund">
                    {r.refundAmount !== null ? money(r.refundAmount, r.currency ?? c.get('config').SHOP_CURRENCY) : '—'}
                  </NumTd>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager next={page.nextCursor} base={withQuery(c, { cursor: undefined })} label="More returns" />
      </>
    ),
  });
}

/** The return (GET /admin/returns/{id}) and, for names, prices and the customer, its order (absent if unreadable). */
async function loadReturn(
  c: Context<WebEnv>,
  id: string,
): Promise<{ order: Order | undefined; ret: ReturnDetail } | undefined> {
  const api = c.get('api');
  const got = await api.call<ReturnDetail>(c, 'GET', `/api/orders/admin/returns/${id}`);
  if (got.status === 404) return undefined;
  if (got.problem) throw new ApiError(got.problem);
  const ret = got.body;
  const detail = await api.call<{ order: Order }>(c, 'GET', `/api/orders/admin/orders/${ret.orderId}`);
  if (detail.problem && detail.status !== 404) throw new ApiError(detail.problem);
  return { order: detail.ok ? detail.body.order : undefined, ret };
}

async function returnPage(c: Context<WebEnv>, id: string, state?: FormState) {
  const found = await loadReturn(c, id);
  if (!found) return notFoundPage(c, 'return');
  const { order, ret } = found;
  const locations = await loadLocations(c);
  const options = locationOptions(locations);
  const warehouse = locations.find((l) => l.kind === 'warehouse')?.code;
  const approve = fieldOf(state, 'approve');
  const reject = fieldOf(state, 'reject');
  const inspect = fieldOf(state, 'inspect');
  const desk = onOrderDesk(c);
  const shown = (form: string) =>
    form === 'inspect'
      ? INSPECTABLE.has(ret.status)
      : form === 'receive'
        ? IN_TRANSIT.has(ret.status)
        : desk && ret.status === 'requested';
  const done = state ? undefined : c.req.query('done');
  const cur = ret.currency;
  const priceOf = (sku: string) => order?.lines.find((l) => l.sku === sku);
  const where = (code: string | null) => {
    if (!code) return '—';
    const l = locations.find((x) => x.code === code);
    return l ? `${l.name} (${l.code})` : code;
  };
  return renderAdmin(c, {
    title: `Return ${shortId(ret.id)}`,
    section: SECTION,
    status: state ? 422 : 200,
    children: (
      <>
        <BackLink href="/admin/returns">Returns</BackLink>
        <h1>
          Return {shortId(ret.id)} <StatusBadge status={ret.status} />
        </h1>
        <Flash done={done} messages={DONE} />
        {state && !shown(state.form) ? <FormNotice state={state} form={state.form} /> : null}
        <Facts
          items={[
            ['Order', <a href={`/admin/orders/${ret.orderId}`}>{ret.orderNumber}</a>],
            ['Currency', cur],
            ['Customer', order?.email ?? '—'],
            ['Requested', formatDate(ret.createdAt)],
            ['Delivered', order?.deliveredAt ? formatDate(order.deliveredAt) : '—'],
            ["Customer's note", ret.note ? <q>{ret.note}</q> : 'None'],
            ...(ret.rejection ? [['Rejected because', ret.rejection] as const] : []),
            ['Goes back to', where(ret.toLocation)],
            [
              'Return label',
              ret.label ? (
                <>
                  {humanize(ret.label.carrier)} {ret.label.trackingNumber}
                </>
              ) : (
                '—'
              ),
            ],
            [
              'Refund',
              ret.refund.amount !== null
                ? `${REFUND_STATE[ret.refund.state] ?? humanize(ret.refund.state)}: ${money(ret.refund.amount, cur)}${
                    ret.refund.shipping ? ' (shipping included)' : ''
                  }`
                : (REFUND_STATE[ret.refund.state] ?? humanize(ret.refund.state)),
            ],
            ...(ret.restockLocation ? [['Restock at', where(ret.restockLocation)] as const] : []),
            ['Restocked', ret.restocked ? 'Yes' : 'No'],
          ]}
        />
        <table class="responsive">
          <caption class="visually-hidden">Items in this return</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <NumTh>Qty</NumTh>
              <th scope="col">Customer's reason</th>
              <NumTh>Paid per unit</NumTh>
            </tr>
          </thead>
          <tbody>
            {ret.lines.map((l) => {
              const line = priceOf(l.sku);
              return (
                <tr>
                  <td data-label="Item">
                    {line?.name ?? l.sku} <span class="muted">({l.sku})</span>
                  </td>
                  <NumTd label="Qty">{l.qty}</NumTd>
                  <td data-label="Customer's reason">{humanize(l.reason)}</td>
                  <NumTd label="Paid per unit">{line ? money(Math.round(line.total / line.quantity), cur) : '—'}</NumTd>
                </tr>
              );
            })}
          </tbody>
        </table>

        {ret.status === 'requested' && !desk ? <p>Support staff approve or reject requested returns.</p> : null}
        {shown('approve') ? (
          <div class="ops-forms">
            <section aria-labelledby="approve-h" class="ops-panel">
              <h2 id="approve-h">Approve</h2>
              <FormNotice state={state} form="approve" />
              <PostForm action={`/admin/returns/${ret.id}/approve`} csrf={c.get('csrf')}>
                <SelectField
                  id="approve-location"
                  label="Send the parcel back to"
                  {...bound(approve, 'toLocation', warehouse)}
                  options={options}
                  required
                />
                <button type="submit">Approve return</button>
              </PostForm>
            </section>
            <section aria-labelledby="reject-h" class="ops-panel">
              <h2 id="reject-h">Reject</h2>
              <FormNotice state={state} form="reject" />
              <PostForm
                action={`/admin/returns/${ret.id}/reject`}
                csrf={c.get('csrf')}
                data-confirm="Reject this return? The customer sees your reason."
              >
                <TextArea
                  id="reject-reason"
                  label="Reason for the customer"
                  {...bound(reject, 'reason')}
                  maxlength={500}
                  required
                />
                <button type="submit" class="danger">
                  Reject return
                </button>
              </PostForm>
            </section>
          </div>
        ) : null}

        {shown('receive') ? (
          <section aria-labelledby="receive-h" class="ops-panel form-narrow">
            <h2 id="receive-h">Parcel arrived</h2>
            <FormNotice state={state} form="receive" />
            <PostForm
              action={`/admin/returns/${ret.id}/receive`}
              csrf={c.get('csrf')}
              data-confirm="Mark this return as received? Do it once the parcel is at the warehouse."
            >
              <p>The carrier has not scanned it in yet. Mark it received once the parcel is with us.</p>
              <button type="submit" class="secondary">
                Mark as received
              </button>
            </PostForm>
          </section>
        ) : null}
        {INSPECTABLE.has(ret.status) ? (
          <section aria-labelledby="inspect-h" class="ops-panel form-narrow">
            <h2 id="inspect-h">Inspect and refund</h2>
            <FormNotice state={state} form="inspect" />
            <PostForm
              action={`/admin/returns/${ret.id}/inspect`}
              csrf={c.get('csrf')}
              data-confirm="Record the inspection? The refund is sent to the customer."
            >
              <SelectField
                id="inspect-location"
                label="Put the goods back into stock at"
                {...bound(inspect, 'restockLocation', warehouse)}
                options={options}
                required
              />
              {desk ? (
                <Field
                  id="inspect-amount"
                  label={`Refund amount (${cur}, optional)`}
                  {...bound(inspect, 'refundAmount')}
                  inputmode="decimal"
                  hint="Leave empty for the full amount the return rules allow; enter less for a partial refund"
                />
              ) : (
                <p>The refund is the amount the return rules allow; support staff can refund less.</p>
              )}
              <button type="submit">Record inspection and refund</button>
            </PostForm>
          </section>
        ) : null}
        {ret.status === 'refund_failed' ? (
          <Notice tone="warning">
            The refund failed at the payment provider. Refund the order from its page once the cause is fixed.
          </Notice>
        ) : null}
      </>
    ),
  });
}

const RETURN_MESSAGES = {
  return_refused: 'This return cannot take that step in its current state. Reload the page to see where it is.',
  refund_exceeds_refundable: 'That is more than can still be refunded on this order.',
};

const ApproveForm = z.object({
  order: z.uuid().optional(),
  toLocation: z.string().max(32).regex(LOCATION_RE, 'Choose a location from the list.'),
});
const RejectForm = z.object({
  order: z.uuid().optional(),
  reason: z.string().trim().min(1, 'Give the customer a reason.').max(500, 'At most 500 characters.'),
});
const InspectForm = z.object({
  order: z.uuid().optional(),
  restockLocation: z.string().max(32).regex(LOCATION_RE, 'Choose a location from the list.'),
  refundAmount: z.string().trim().max(20, 'Enter an amount such as 12.50.').optional(),
});

async function postDecision(
  c: Context<WebEnv>,
  id: string,
  form: 'approve' | 'reject' | 'inspect',
  done: keyof typeof DONE,
) {
  const schema = form === 'approve' ? ApproveForm : form === 'reject' ? RejectForm : InspectForm;
  const f = await parseForm(c, schema);
  if (!f.ok) return returnPage(c, id, { form, values: f.raw, errors: f.errors });
  let body: Record<string, unknown>;
  let currency = c.get('config').SHOP_CURRENCY;
  if (form === 'inspect') {
    const d = f.data as z.infer<typeof InspectForm>;
    body = { restockLocation: d.restockLocation };
    if (d.refundAmount && !onOrderDesk(c)) return forbidden(c, 'Choosing a refund amount', 'support');
    if (d.refundAmount) {
      const found = await loadReturn(c, id);
      if (!found) return notFoundPage(c, 'return');
      currency = found.ret.currency;
      const amount = parseAmount(d.refundAmount, currency);
      if (amount === undefined) {
        return returnPage(c, id, {
          form,
          values: f.raw,
          errors: { refundAmount: `Enter an amount such as ${amountText(1250, currency)}.` },
        });
      }
      body.refundAmount = amount;
    }
  } else {
    const { order: _order, ...rest } = f.data as Record<string, unknown>;
    body = rest;
  }
  const r = await c.get('api').call(c, 'POST', `/api/orders/admin/returns/${id}/${form}`, { json: body });
  if (r.status === 404) return notFoundPage(c, 'return');
  if (!r.ok) {
    const left = r.problem?.code === 'refund_exceeds_refundable' ? r.problem.refundable : undefined;
    if (typeof left === 'number') {
      const text = `Only ${money(left, currency)} can still be refunded on this order.`;
      return returnPage(c, id, { form, values: f.raw, errors: { refundAmount: text }, message: text });
    }
    return returnPage(c, id, refusal(form, f.raw, r, RETURN_MESSAGES));
  }
  return c.redirect(`/admin/returns/${id}?done=${done}`, 303);
}

async function postReceive(c: Context<WebEnv>, id: string) {
  const r = await c.get('api').call(c, 'POST', `/api/orders/admin/returns/${id}/receive`);
  if (r.status === 404) return notFoundPage(c, 'return');
  if (!r.ok) return returnPage(c, id, refusal('receive', {}, r, RETURN_MESSAGES));
  return c.redirect(`/admin/returns/${id}?done=received`, 303);
}

export function returnsAdmin(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  guardOrderSection(app, '/returns', 'The returns queue');
  app.get('/returns', queuePage);
  const withId = withParam('id', UUID, 'return');
  app.get(
    '/returns/:id',
    withId((c, id) => returnPage(c, id)),
  );
  app.post(
    '/returns/:id/approve',
    withId(deskOnly('Approving a return', (c, id: string) => postDecision(c, id, 'approve', 'approved'))),
  );
  app.post(
    '/returns/:id/reject',
    withId(deskOnly('Rejecting a return', (c, id: string) => postDecision(c, id, 'reject', 'rejected'))),
  );
  app.post('/returns/:id/receive', withId(postReceive));
  app.post(
    '/returns/:id/inspect',
    withId((c, id) => postDecision(c, id, 'inspect', 'inspected')),
  );
  return app;
}
