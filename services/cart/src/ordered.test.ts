import { newId } from '@storefront/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startCart } from './test-harness.ts';

/**
 * A cart closes as `ordered` when orders announces an order placed from it, and opens again when
 * that order is cancelled — over real NATS JetStream (the kit's outbox, relay and inbox consumer)
 * and Postgres, with the orders side publishing the events as the orders service does.
 */
let h: Harness;
beforeAll(async () => {
  h = await startCart({}, { consumers: true });
  h.catalog.set('LAMP', { USD: 4000 });
  h.catalog.set('BULB', { USD: 250 });
  h.inventory.stock.set('LAMP', 100);
  h.inventory.stock.set('BULB', 100);
});
afterAll(() => h.close());

type Who = { cartToken: string } | { token: string };

/** A cart with a line, shipping and region chosen: ready to be quoted. */
async function readyCart(customerToken?: string): Promise<{ id: string; o: Who }> {
  let id: string;
  let o: Who;
  if (customerToken) {
    const r = await h.call('POST', '/carts', { token: customerToken, body: { currency: 'USD' } });
    expect([200, 201]).toContain(r.status);
    id = r.body.cart.id;
    o = { token: customerToken };
  } else {
    const g = await h.guestCart();
    id = g.id;
    o = { cartToken: g.token };
  }
  expect((await h.call('POST', `/carts/${id}/lines`, { ...o, body: { sku: 'LAMP', quantity: 1 } })).status).toBe(200);
  const ship = await h.call('PUT', `/carts/${id}/shipping`, { ...o, body: { option: 'standard', region: 'US-CA' } });
  expect(ship.status).toBe(200);
  return { id, o };
}

const read = (id: string, o: Who) => h.call('GET', `/carts/${id}`, o);
const statusOf = async (id: string) =>
  (
    await h.db.query<{ status: string; order_id: string | null; version: number }>(
      'SELECT status, order_id, version FROM carts WHERE id = $1',
      [id],
    )
  ).rows[0];

async function until(id: string, status: string, orderId?: string | null) {
  return h.waitFor(`cart ${id} ${status}`, async () => {
    const row = await statusOf(id);
    return row?.status === status && (orderId === undefined || row.order_id === orderId) ? row : undefined;
  });
}

/** Events are applied in stream order: once a later one is applied, everything before it was handled. */
async function drained() {
  const { id } = await h.guestCart();
  const marker = await h.orders.place({ cartId: id });
  await until(id, 'ordered', marker.orderId);
}

describe('order.placed.v1 → ordered', () => {
  it('closes the cart, shows it with its order, and refuses every change with 409 cart_ordered', async () => {
    const { id, o } = await readyCart();
    const quoted = await h.call('POST', `/carts/${id}/checkout-quote`, o);
    expect(quoted.status).toBe(200);
    expect(quoted.body.orderId).toBeNull();
    const { orderId } = await h.orders.place({ cartId: id });
    await until(id, 'ordered', orderId);

    // GET /carts/{id} (read through the Redis cache) shows it, with its status and order.
    const shown = await read(id, o);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      id,
      status: 'ordered',
      orderId,
      lines: [expect.objectContaining({ sku: 'LAMP' })],
    });

    const changes: [string, string, unknown?][] = [
      ['POST', `/carts/${id}/lines`, { sku: 'BULB', quantity: 1 }],
      ['PATCH', `/carts/${id}/lines/LAMP`, { quantity: 2 }],
      ['DELETE', `/carts/${id}/lines/LAMP`],
      ['PUT', `/carts/${id}/shipping`, { option: 'express' }],
      ['PUT', `/carts/${id}/code`, { code: 'ANYCODE' }],
      ['DELETE', `/carts/${id}/code`],
      ['POST', `/carts/${id}/acknowledge-prices`],
    ];
    for (const [method, path, body] of changes) {
      const r = await h.call(method, path, { ...o, ...(body === undefined ? {} : { body }) });
      expect([method, path, r.status, r.body.code, r.body.orderId]).toEqual([
        method,
        path,
        409,
        'cart_ordered',
        orderId,
      ]);
    }
    // Checkout says it the way orders does.
    const again = await h.call('POST', `/carts/${id}/checkout-quote`, o);
    expect([again.status, again.body.code, again.body.orderId]).toEqual([409, 'cart_already_ordered', orderId]);
    // Nothing changed underneath.
    expect((await read(id, o)).body.lines).toEqual([expect.objectContaining({ sku: 'LAMP', quantity: 1 })]);
  });

  it('a guest cart ordered since cannot be merged into a customer cart', async () => {
    const guest = await h.guestCart();
    await h.call('POST', `/carts/${guest.id}/lines`, { cartToken: guest.token, body: { sku: 'LAMP' } });
    const { orderId } = await h.orders.place({ cartId: guest.id });
    await until(guest.id, 'ordered', orderId);
    const merged = await h.call('POST', '/carts/merge', {
      token: await h.customer(),
      body: { cartId: guest.id, token: guest.token },
    });
    expect([merged.status, merged.body.code]).toEqual([409, 'cart_ordered']);
  });

  it('duplicates are harmless: redeliveries of the event and a second announcement of the same order', async () => {
    const { id, o } = await readyCart();
    const placed = await h.orders.place({ cartId: id });
    const first = await until(id, 'ordered', placed.orderId);
    for (let i = 0; i < 3; i++) await h.orders.again(placed);
    await h.orders.place({ cartId: id, orderId: placed.orderId });
    await drained();
    const after = await statusOf(id);
    expect(after).toEqual(first);
    expect((await read(id, o)).body).toMatchObject({ status: 'ordered', orderId: placed.orderId });
    const { rows } = await h.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM inbox WHERE consumer = 'cart-orders' AND event_id = $1",
      [placed.eventId],
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('events it cannot place (no cart id, as before the field; an unknown cart) change nothing and are not retried', async () => {
    const { id, o } = await readyCart();
    await h.orders.place({});
    await h.orders.place({ cartId: newId() });
    await drained();
    expect((await read(id, o)).body.status).toBe('open');
    const { rows } = await h.db.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM delivery_failures) + (SELECT count(*) FROM dead_letters) AS n',
    );
    expect(Number(rows[0]?.n)).toBe(0);
  });
});

describe('order.cancelled.v1 → open again', () => {
  it('reopens a guest cart ordered by that order, lines kept, ready to check out again', async () => {
    const { id, o } = await readyCart();
    const placed = await h.orders.place({ cartId: id });
    await until(id, 'ordered', placed.orderId);
    // Another order's cancellation is not this cart's business.
    await h.orders.cancel(newId());
    await drained();
    expect((await statusOf(id))?.status).toBe('ordered');

    const cancelled = await h.orders.cancel(placed.orderId);
    await until(id, 'open', null);
    const shown = await read(id, o);
    expect(shown.body).toMatchObject({
      status: 'open',
      orderId: null,
      lines: [expect.objectContaining({ sku: 'LAMP' })],
    });
    expect((await h.call('POST', `/carts/${id}/lines`, { ...o, body: { sku: 'BULB' } })).status).toBe(200);
    expect((await h.call('POST', `/carts/${id}/checkout-quote`, o)).status).toBe(200);

    // A redelivered cancellation, or one more of the same order, does not touch it again.
    const before = await statusOf(id);
    await h.orders.again(cancelled);
    await h.orders.cancel(placed.orderId);
    await drained();
    expect(await statusOf(id)).toEqual(before);

    // The retry's order closes it again.
    const second = await h.orders.place({ cartId: id });
    await until(id, 'ordered', second.orderId);
  });

  it("a customer's cart: mine never answers it while ordered; cancelled, it is theirs again", async () => {
    const customer = await h.customer();
    const { id } = await readyCart(customer);
    const placed = await h.orders.place({ cartId: id, customerId: 'c' });
    await until(id, 'ordered', placed.orderId);
    const mine = await h.call('GET', '/carts/mine', { token: customer });
    expect(mine.status).toBe(404);
    expect((await h.call('GET', `/carts/${id}`, { token: customer })).body.status).toBe('ordered');

    await h.orders.cancel(placed.orderId);
    await until(id, 'open', null);
    const back = await h.call('GET', '/carts/mine', { token: customer });
    expect([back.status, back.body.id, back.body.lines.length]).toEqual([200, id, 1]);
  });

  it('stays closed when the customer started another cart meanwhile; the new one is theirs', async () => {
    const customer = await h.customer();
    const { id: first } = await readyCart(customer);
    const placed = await h.orders.place({ cartId: first });
    await until(first, 'ordered', placed.orderId);
    // POST /carts after a checkout: a new, empty cart (mine is 404 until then).
    const started = await h.call('POST', '/carts', { token: customer, body: { currency: 'USD' } });
    expect(started.status).toBe(201);
    expect(started.body.cart).toMatchObject({ status: 'open', lines: [] });
    const second = started.body.cart.id as string;
    expect(second).not.toBe(first);
    await h.call('POST', `/carts/${second}/lines`, { token: customer, body: { sku: 'BULB', quantity: 2 } });

    await h.orders.cancel(placed.orderId);
    await drained();
    expect(await statusOf(first)).toMatchObject({ status: 'ordered', order_id: placed.orderId });
    const mine = await h.call('GET', '/carts/mine', { token: customer });
    expect([mine.body.id, mine.body.lines.map((l: { sku: string }) => l.sku)]).toEqual([second, ['BULB']]);
  });

  it('stays closed when the customer starts a cart while the cancellation is being applied (one open cart each)', async () => {
    const customerId = newId();
    const customer = await h.customer(customerId);
    const { id: first } = await readyCart(customer);
    const placed = await h.orders.place({ cartId: first });
    await until(first, 'ordered', placed.orderId);
    // Another device starts a cart in a transaction that is not committed yet: the consumer's
    // reopen waits on the one-open-cart index, then finds it taken.
    const other = await h.db.pool.connect();
    try {
      await other.query('BEGIN');
      const second = newId();
      await other.query(
        `INSERT INTO carts (id, customer_id, currency, created_at, updated_at) VALUES ($1, $2, 'USD', now(), now())`,
        [second, customerId],
      );
      await h.orders.cancel(placed.orderId);
      await h.waitFor('the reopen to wait on the index', async () => {
        const { rows } = await h.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND query LIKE '%UPDATE carts SET%' AND datname = current_database()`,
        );
        return (rows[0]?.n ?? 0) > 0;
      });
      await other.query('COMMIT');
      await drained();
      expect(await statusOf(first)).toMatchObject({ status: 'ordered', order_id: placed.orderId });
      expect((await h.call('GET', '/carts/mine', { token: customer })).body.id).toBe(second);
    } finally {
      other.release();
    }
    const { rows } = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM delivery_failures');
    expect(rows[0]?.n).toBe(0);
  });
});

describe('events out of order (a retry or a redrive reorders them)', () => {
  it('a cancellation heard before its placement keeps the cart open', async () => {
    const { id } = await readyCart();
    const orderId = newId();
    await h.orders.cancel(orderId);
    await drained();
    await h.orders.place({ cartId: id, orderId });
    await drained();
    expect(await statusOf(id)).toMatchObject({ status: 'open', order_id: null });
  });

  it('an older order never takes a cart over from a newer one; the newer one does', async () => {
    const { id } = await readyCart();
    const newer = await h.orders.place({ cartId: id });
    await until(id, 'ordered', newer.orderId);
    // The first attempt's placement, late (its cancellation is on its way too).
    const older = {
      eventId: newId(),
      orderId: newId(),
      subject: 'order.placed.v1' as const,
      payload: { ...newer.payload },
    };
    older.payload.orderId = older.orderId;
    await h.orders.again(older, new Date(Date.now() - 60_000));
    await drained();
    expect((await statusOf(id))?.order_id).toBe(newer.orderId);
    await h.orders.cancel(older.orderId);
    await drained();
    expect(await statusOf(id)).toMatchObject({ status: 'ordered', order_id: newer.orderId });

    // The other way round: a newer order's placement arrives while the older one still holds it.
    const { id: cart2 } = await readyCart();
    const first = await h.orders.place({ cartId: cart2 });
    await until(cart2, 'ordered', first.orderId);
    const retry = await h.orders.place({ cartId: cart2 });
    await until(cart2, 'ordered', retry.orderId);
    await h.orders.cancel(first.orderId);
    await drained();
    expect((await statusOf(cart2))?.order_id).toBe(retry.orderId);
  });
});

describe('a second order', () => {
  it('after a checkout the customer gets a new cart that quotes and closes on its own', async () => {
    const customer = await h.customer();
    const { id: first } = await readyCart(customer);
    const one = await h.orders.place({ cartId: first });
    await until(first, 'ordered', one.orderId);
    const { id: second, o } = await readyCart(customer);
    expect(second).not.toBe(first);
    const quoted = await h.call('POST', `/carts/${second}/checkout-quote`, o);
    expect([quoted.status, quoted.body.id]).toEqual([200, second]);
    const two = await h.orders.place({ cartId: second });
    await until(second, 'ordered', two.orderId);
    expect((await statusOf(first))?.order_id).toBe(one.orderId);
    expect((await h.call('GET', '/carts/mine', { token: customer })).status).toBe(404);
  });
});
