import type { Context } from 'hono';
import type { ApiResult } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { Field, formatDate, Notice, PostForm } from '../ui.tsx';
import {
  amountText,
  Facts,
  FormNotice,
  type FormState,
  fieldOf,
  humanize,
  money,
  StatusBadge,
  TextArea,
} from './ops-common.tsx';
import { type Address, type Detail, type Order, type Return, refundable, type Shipment } from './ops-orders-types.ts';
import { bound, KeyField } from './ops-parts.tsx';

/** The parts of an order's page below its money: parcels, returns, the customer, the saga, the refund and cancel forms, notes. */

const CANCELLABLE = new Set(['pending', 'pending_payment', 'payment_action_required', 'processing', 'confirmed']);
const REFUNDABLE = new Set(['confirmed', 'shipped', 'delivered', 'cancelled']);

/** What the order's forms need: the request (CSRF), the form that came back, the order. */
interface FormProps {
  c: Context<WebEnv>;
  state: FormState | undefined;
  order: Order;
}

export function ShipmentsSection(props: {
  order: Order;
  shipments: ApiResult<{ shipments: Shipment[] }>;
  placeName: (code: string) => string;
}) {
  const { order: o, shipments, placeName } = props;
  return (
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
  );
}

export function ReturnsSection(props: { order: Order; returns: ApiResult<{ items: Return[] }> }) {
  const { order: o, returns } = props;
  const cur = o.currency;
  return (
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
  );
}

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

/** `linkCustomer`: the viewer may open customer accounts (support); others see the account's id. */
export function CustomerPanel(props: { order: Order; linkCustomer: boolean }) {
  const o = props.order;
  return (
    <section aria-labelledby="customer-h" class="ops-panel">
      <h2 id="customer-h">Customer</h2>
      <Facts
        items={[
          ['Email', o.email ?? '—'],
          [
            'Account',
            !o.customerId ? (
              'Guest checkout'
            ) : props.linkCustomer ? (
              <a href={`/admin/customers/${o.customerId}`}>View customer</a>
            ) : (
              <code>{o.customerId}</code>
            ),
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
  );
}

export function SagaPanel(props: { saga: Detail['saga'] }) {
  const saga = props.saga;
  return (
    <section aria-labelledby="saga-h" class="ops-panel">
      <h2 id="saga-h">Checkout saga</h2>
      {saga ? (
        <Facts
          items={[
            ['Step', humanize(saga.step)],
            ['State', humanize(saga.state)],
            ['Attempts', String(saga.attempts)],
            ...(saga.deadline ? [['Deadline', formatDate(saga.deadline)] as const] : []),
            ...(saga.lastError ? [['Last error', saga.lastError] as const] : []),
          ]}
        />
      ) : (
        <p>No saga recorded.</p>
      )}
    </section>
  );
}

export function RefundPanel(props: FormProps & { detail: Detail }) {
  const { c, state, order: o } = props;
  const cur = o.currency;
  const left = refundable(props.detail);
  const refund = fieldOf(state, 'refund');
  return (
    <section aria-labelledby="refund-h" class="ops-panel">
      <h2 id="refund-h">Refund</h2>
      <FormNotice state={state} form="refund" />
      {left > 0 && REFUNDABLE.has(o.status) ? (
        <PostForm
          action={`/admin/orders/${o.id}/refund`}
          csrf={c.get('csrf')}
          data-confirm={`Refund order ${o.number}? The money goes back to the customer's card.`}
        >
          <KeyField form={refund} name="key" />
          <p>Still refundable: {money(left, cur)}</p>
          <Field
            id="refund-amount"
            label={`Amount (${cur}, optional)`}
            {...bound(refund, 'amount')}
            inputmode="decimal"
            hint={`Leave empty to refund all that is still refundable (${amountText(left, cur)})`}
          />
          <TextArea id="refund-reason" label="Reason" {...bound(refund, 'reason')} maxlength={300} required />
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
  );
}

export function CancelPanel(props: FormProps) {
  const { c, state, order: o } = props;
  const cancel = fieldOf(state, 'cancel');
  return (
    <section aria-labelledby="cancel-h" class="ops-panel">
      <h2 id="cancel-h">Cancel</h2>
      <FormNotice state={state} form="cancel" />
      {CANCELLABLE.has(o.status) ? (
        <PostForm
          action={`/admin/orders/${o.id}/cancel`}
          csrf={c.get('csrf')}
          data-confirm={`Cancel order ${o.number}? Shipment, payment and stock are undone.`}
        >
          <TextArea id="cancel-reason" label="Why cancel" {...bound(cancel, 'reason')} maxlength={300} required />
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
  );
}

export function NotesSection(props: FormProps & { notes: Detail['notes']; canAdd: boolean }) {
  const { c, state, order: o } = props;
  const notes = props.notes;
  const note = fieldOf(state, 'note');
  return (
    <section aria-labelledby="notes-h">
      <h2 id="notes-h">Internal notes</h2>
      {notes.length === 0 ? (
        <p>No notes yet.</p>
      ) : (
        <ol class="timeline">
          {notes.map((n) => (
            <li>
              <p class="muted">
                {formatDate(n.createdAt)} · {n.author ?? 'system'}
              </p>
              <p class="ops-note">{n.body}</p>
            </li>
          ))}
        </ol>
      )}
      {props.canAdd ? (
        <>
          <FormNotice state={state} form="note" />
          <PostForm action={`/admin/orders/${o.id}/notes`} csrf={c.get('csrf')} class="form-narrow">
            <TextArea id="note-body" label="New note (staff only)" {...bound(note, 'body')} maxlength={2000} required />
            <button type="submit" class="secondary">
              Add note
            </button>
          </PostForm>
        </>
      ) : null}
    </section>
  );
}
