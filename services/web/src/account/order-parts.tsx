import type { Context } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { formatDate, Money } from '../ui.tsx';
import type { Order, OrderLine, OrderReturn, OrderStatus, Payment, Shipment, ShipmentStatus } from './order-types.ts';

/** Orders' rule (services/orders/src/returns-rules.ts): a return within 30 days of delivery. */
export const RETURN_WINDOW_DAYS = 30;
export const PAGE_SIZE = 10;

export const ORDER_STATUS: Record<OrderStatus, { label: string; about: string }> = {
  pending: { label: 'Received', about: 'We have your order and are reserving the items.' },
  pending_payment: { label: 'Awaiting payment', about: 'We are confirming your payment.' },
  payment_action_required: {
    label: 'Action needed',
    about: 'Your bank asks you to confirm the payment before we can go on.',
  },
  processing: { label: 'Processing', about: 'Your payment went through; we are getting the order ready.' },
  confirmed: { label: 'Confirmed', about: 'Your order is confirmed and being packed.' },
  shipped: { label: 'Shipped', about: 'Your order is on its way.' },
  delivered: { label: 'Delivered', about: 'Your order has been delivered.' },
  cancelling: { label: 'Being cancelled', about: 'We are cancelling this order and giving back any payment.' },
  cancelled: { label: 'Cancelled', about: 'This order was cancelled.' },
};

export const TRACKING: Record<ShipmentStatus | 'exception', string> = {
  label_created: 'Label created',
  picked_up: 'Picked up by the carrier',
  in_transit: 'In transit',
  out_for_delivery: 'Out for delivery',
  delivered: 'Delivered',
  exception: 'Delivery problem',
  cancelled: 'Cancelled',
};

export const PAYMENT_STATE: Record<Payment['state'], string> = {
  pending: 'Pending',
  requires_action: 'Waiting for your bank',
  authorized: 'Authorised',
  captured: 'Paid',
  partially_refunded: 'Partly refunded',
  refunded: 'Refunded',
  voided: 'Cancelled, not charged',
  declined: 'Declined',
  failed: 'Failed',
};

export const REFUND_STATE = { pending: 'On its way', succeeded: 'Refunded', failed: 'Failed' } as const;

export const RETURN_REASONS = {
  changed_mind: 'Changed my mind',
  does_not_fit: 'Does not fit',
  damaged: 'Arrived damaged',
  wrong_item: 'Wrong item sent',
  not_as_described: 'Not as described',
  other: 'Other reason',
} as const;
export type ReturnReason = keyof typeof RETURN_REASONS;
export const REASON_KEYS = Object.keys(RETURN_REASONS) as [ReturnReason, ...ReturnReason[]];

export const RETURN_STATUS: Record<OrderReturn['status'], { label: string; about: string }> = {
  requested: { label: 'Requested', about: 'We will review your request shortly.' },
  approved: { label: 'Approved', about: 'Approved: your return label is being prepared.' },
  rejected: { label: 'Not accepted', about: 'We could not accept this return. Contact us if you have questions.' },
  label_created: { label: 'Label ready', about: 'Print the label below and send the parcel back.' },
  received: { label: 'Received', about: 'We have your parcel and are checking the items.' },
  refunding: { label: 'Refund on its way', about: 'Your refund has been sent to your payment method.' },
  refunded: { label: 'Refunded', about: 'Your refund is done.' },
  refund_failed: { label: 'Refund problem', about: 'The refund did not go through; our team will contact you.' },
};

/** The saga is still moving: the page follows it closely. */
export const BUSY: ReadonlySet<OrderStatus> = new Set([
  'pending',
  'pending_payment',
  'payment_action_required',
  'processing',
  'cancelling',
]);
export const RETURN_DONE: ReadonlySet<OrderReturn['status']> = new Set(['rejected', 'refunded', 'refund_failed']);

/** Seconds until the page looks again, or undefined when nothing is in progress. */
export function liveSeconds(order: Order, returns: readonly OrderReturn[]): number | undefined {
  if (BUSY.has(order.status)) return 5;
  if (order.status === 'confirmed' || order.status === 'shipped') return 20;
  if (returns.some((r) => !RETURN_DONE.has(r.status))) return 20;
  return undefined;
}

/** Units of each SKU already in a return that was not turned down. */
export function takenBySku(returns: readonly OrderReturn[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of returns) {
    if (r.status === 'rejected') continue;
    for (const l of r.lines) m.set(l.sku, (m.get(l.sku) ?? 0) + l.qty);
  }
  return m;
}

export type Returnability =
  | { readonly ok: true; readonly lines: { line: OrderLine; index: number; left: number }[]; readonly until: Date }
  | { readonly ok: false; readonly why: string };

/** Whether (and what) this order can still return, with the reason in words when not. */
export function returnability(order: Order, returns: readonly OrderReturn[], now = new Date()): Returnability {
  if (order.status === 'cancelled' || order.status === 'cancelling') {
    return { ok: false, why: 'This order was cancelled, so there is nothing to return.' };
  }
  if (order.status !== 'delivered' || !order.deliveredAt) {
    return { ok: false, why: 'You can ask for a return once your order has been delivered.' };
  }
  const until = new Date(new Date(order.deliveredAt).getTime() + RETURN_WINDOW_DAYS * 86_400_000);
  if (now > until) {
    return {
      ok: false,
      why: `Returns are accepted within ${RETURN_WINDOW_DAYS} days of delivery; the window for this order closed on ${formatDate(until.toISOString())}.`,
    };
  }
  const taken = takenBySku(returns);
  const lines = order.lines
    .map((line, index) => ({ line, index, left: Math.max(0, line.quantity - (taken.get(line.sku) ?? 0)) }))
    .filter((l) => l.left > 0);
  if (lines.length === 0) return { ok: false, why: 'Every item of this order is already in a return.' };
  return { ok: true, lines, until };
}

export const lineName = (order: Order, sku: string) => order.lines.find((l) => l.sku === sku)?.name ?? sku;
export const safeHref = (url: string | null | undefined) =>
  url && /^(https?:\/\/|\/(?!\/))/.test(url) ? url : undefined;
export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
export const Id = z.uuid();

export async function loadOrder(c: Context<WebEnv>, id: string): Promise<Order> {
  return c.get('api').get<Order>(c, `/api/orders/orders/${id}`);
}

/** An order's returns; an answer that fails only hides them (the order page still shows). */
export async function loadReturns(c: Context<WebEnv>, id: string): Promise<OrderReturn[] | undefined> {
  const r = await c.get('api').call<{ items: OrderReturn[] }>(c, 'GET', `/api/orders/orders/${id}/returns`);
  return r.ok && Array.isArray(r.body?.items) ? r.body.items : undefined;
}

export function StatusBadge(props: { status: string; label: string }) {
  return <span class={`status status-${props.status}`}>{props.label}</span>;
}

export function Tracking(props: { shipments: Shipment[] }) {
  const parcels = props.shipments.filter((s) => s.kind === 'outbound');
  if (parcels.length === 0) return null;
  return (
    <section aria-labelledby="tracking-h" class="acct-tracking">
      <h2 id="tracking-h">Tracking</h2>
      {parcels.map((s, i) => (
        <div class="acct-parcel">
          <h3>
            {parcels.length > 1 ? `Parcel ${i + 1} of ${parcels.length}: ` : 'Parcel: '}
            <StatusBadge status={s.status} label={TRACKING[s.status] ?? s.status} />
          </h3>
          <p>
            {s.carrier} tracking number <strong>{s.trackingNumber}</strong>
            {s.deliveredAt ? <> · delivered {formatDate(s.deliveredAt)}</> : null}
          </p>
          <ol class="timeline" aria-label={`Tracking history of parcel ${s.trackingNumber}`}>
            {[...s.timeline].reverse().map((e) => (
              <li>
                <strong>{TRACKING[e.status] ?? e.status}</strong> · <time datetime={e.at}>{formatDate(e.at)}</time>
                {e.detail ? <span class="muted"> · {e.detail}</span> : null}
                {e.applied ? null : <span class="muted"> (late update)</span>}
              </li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}

export function Payments(props: { payments: Payment[] }) {
  const shown = props.payments.filter((p) => p.state !== 'pending');
  if (shown.length === 0) return null;
  return (
    <section aria-labelledby="payments-h">
      <h2 id="payments-h">Payment</h2>
      <ul class="acct-payments">
        {shown.map((p) => (
          <li>
            {p.card ? `${capitalise(p.card.brand)} ending ${p.card.last4}` : 'Payment'}:{' '}
            <StatusBadge status={p.state} label={PAYMENT_STATE[p.state] ?? p.state} />{' '}
            {p.captured.amount > 0 ? (
              <>
                · paid <Money value={p.captured} />
              </>
            ) : (
              <>
                · <Money value={p.amount} />
              </>
            )}
            {p.refunded.amount > 0 ? (
              <>
                {' '}
                · refunded <Money value={p.refunded} />
              </>
            ) : null}
            {p.decline ? <span class="muted"> · {p.decline.message}</span> : null}
            {p.refunds.length > 0 ? (
              <ul>
                {p.refunds.map((r) => (
                  <li>
                    Refund of <Money value={r.amount} /> on {formatDate(r.createdAt)}:{' '}
                    {REFUND_STATE[r.state] ?? r.state}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Label(props: { url: string | null | undefined; tracking: string }) {
  const url = props.url;
  if (!url) return null;
  // The dev carrier's labels are SVG data URLs (the CSP allows data: images); real ones are links.
  if (/^data:image\/(svg\+xml|png|jpeg|gif);base64,[\w+/=]+$/.test(url)) {
    return (
      <figure class="acct-label">
        <img src={url} alt={`Return label, tracking number ${props.tracking}`} width="400" height="120" />
        <figcaption>Print this label and stick it on the parcel.</figcaption>
      </figure>
    );
  }
  const href = safeHref(url);
  return href ? (
    <p>
      <a href={href} rel="noopener noreferrer">
        Open the return label to print it
      </a>
    </p>
  ) : null;
}

export function Returns(props: { order: Order; returns: OrderReturn[]; shipments: Shipment[] }) {
  const { order, returns, shipments } = props;
  if (returns.length === 0) return null;
  const money = (amount: number) => <Money value={{ amount, currency: order.currency }} />;
  return (
    <section aria-labelledby="returns-h" id="returns">
      <h2 id="returns-h">Returns</h2>
      {[...returns]
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .map((r) => {
          const st = RETURN_STATUS[r.status] ?? { label: r.status, about: '' };
          const parcel = shipments.find((s) => s.kind === 'return' && s.returnId === r.id);
          return (
            <article class="acct-return" aria-label={`Return requested ${formatDate(r.createdAt)}`}>
              <h3>
                Return requested {formatDate(r.createdAt)}: <StatusBadge status={r.status} label={st.label} />
              </h3>
              <p>{st.about}</p>
              <ul>
                {r.lines.map((l) => (
                  <li>
                    {lineName(order, l.sku)} × {l.qty}{' '}
                    <span class="muted">({RETURN_REASONS[l.reason as ReturnReason] ?? l.reason})</span>
                  </li>
                ))}
              </ul>
              {r.label ? (
                <>
                  <p>
                    Send it with {r.label.carrier}, tracking number <strong>{r.label.trackingNumber}</strong>
                    {parcel ? (
                      <>
                        {' '}
                        · <StatusBadge status={parcel.status} label={TRACKING[parcel.status] ?? parcel.status} />
                      </>
                    ) : null}
                  </p>
                  {r.status === 'label_created' ? (
                    <Label url={r.label.labelUrl} tracking={r.label.trackingNumber} />
                  ) : null}
                </>
              ) : null}
              {r.refundAmount !== null && r.refundAmount !== undefined ? (
                <p>
                  Refund: {money(r.refundAmount)}
                  {r.status === 'refunded' ? ' (done)' : r.status === 'refunding' ? ' (on its way)' : ''}
                </p>
              ) : null}
            </article>
          );
        })}
    </section>
  );
}
