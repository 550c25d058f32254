import type { Address, Order } from './order-types.ts';
import { COUNTRIES } from './shop/regions.ts';
import { Money } from './ui.tsx';

/**
 * An order's items, totals and delivery address, as the shop's order page (guests, right after
 * checkout) and the account's order page show them: one rendering of the orders API's view.
 */

const SHIPPING_NAMES: Record<string, string> = {
  standard: 'Standard',
  express: 'Express',
  pickup: 'Pick up in store',
};

export const shippingName = (method: string): string => SHIPPING_NAMES[method] ?? method;

const amountIn = (order: Order) => (amount: number) => <Money value={{ amount, currency: order.currency }} />;

export function OrderItems(props: { order: Order }) {
  const { order } = props;
  const m = amountIn(order);
  return (
    <table class="responsive">
      <caption class="visually-hidden">Items in order {order.number}</caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col" class="num">
            Quantity
          </th>
          <th scope="col" class="num">
            Price
          </th>
          <th scope="col" class="num">
            Total
          </th>
        </tr>
      </thead>
      <tbody>
        {order.lines.map((l) => (
          <tr>
            <td data-label="Item">
              {l.name ?? l.sku}
              <div class="muted small">SKU {l.sku}</div>
            </td>
            <td data-label="Quantity" class="num">
              {l.quantity}
            </td>
            <td data-label="Price" class="num">
              {m(l.unitPrice)}
            </td>
            <td data-label="Total" class="num">
              {m(l.total)}
              {l.discount > 0 ? <span class="muted"> (−{m(l.discount)})</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function OrderTotals(props: { order: Order }) {
  const { order } = props;
  const m = amountIn(order);
  return (
    <dl>
      <dt>Subtotal</dt>
      <dd>{m(order.totals.subtotal)}</dd>
      {order.totals.discount > 0 ? (
        <>
          <dt>
            Discount
            {order.promotions.length ? ` (${order.promotions.map((p) => p.code ?? p.name).join(', ')})` : ''}
          </dt>
          <dd>−{m(order.totals.discount)}</dd>
        </>
      ) : null}
      <dt>Shipping ({shippingName(order.shippingMethod)})</dt>
      <dd>{order.totals.shipping === 0 ? 'Free' : m(order.totals.shipping)}</dd>
      <dt>Tax</dt>
      <dd>{m(order.totals.tax)}</dd>
      <dt class="total">Total</dt>
      <dd class="total">
        <strong>{m(order.totals.total)}</strong>
      </dd>
      {order.refunded > 0 ? (
        <>
          <dt>Refunded</dt>
          <dd>{m(order.refunded)}</dd>
        </>
      ) : null}
    </dl>
  );
}

export function OrderAddress(props: { address: Address }) {
  const a = props.address;
  return (
    <address>
      {a.name}
      <br />
      {a.line1}
      {a.line2 ? (
        <>
          <br />
          {a.line2}
        </>
      ) : null}
      <br />
      {a.city}
      {a.region ? `, ${a.region}` : ''} {a.postalCode}
      <br />
      {COUNTRIES.find((k) => k.code === a.country)?.name ?? a.country}
    </address>
  );
}
