import { newId } from '@storefront/contracts';
import { createDb, type Db } from '@storefront/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../payments/src/store-ledger.ts';
import { type FakeCart, fakeCart, quote, SERVICE_TOKEN } from './test-fake-cart.ts';
import { waitFor } from './test-platform.ts';
import { natsServer, postgresServer, type Service, service } from './test-processes.ts';

/**
 * Chaos: a stream of checkouts while each saga participant is SIGKILLed in turn (and restarted by
 * a supervisor), the private nats-server is SIGKILLed and started again, and the private Postgres
 * cluster every service uses is restarted for real (`pg_ctl restart -m fast`: every session cut,
 * the server down for a moment). Orders also crashes itself once inside a saga transaction (FAULTS
 * crashAfter). At the end: no order is stuck, every capture belongs to a confirmed order or was
 * refunded, nothing was captured twice, stock is conserved and the payments ledger verifies.
 */
const N = 60;
const SKUS = ['CH-A', 'CH-B', 'CH-C', 'CH-D'];
const STOCK = 400;
const ADDRESS = { name: 'Chaos Monkey', line1: '1 Loop', city: 'Springfield', postalCode: '12345', country: 'US' };
const CARDS = [
  '4242424242424242',
  '4242424242424242',
  '4242424242424242',
  '4000000000000002',
  '4000000000009995',
  '4000002500003155',
];

let nats: Awaited<ReturnType<typeof natsServer>>;
let pg: Awaited<ReturnType<typeof postgresServer>>;
let cart: FakeCart;
let db: Db;
const svc: Record<string, Service> = {};

beforeAll(async () => {
  pg = await postgresServer();
  nats = await natsServer();
  cart = await fakeCart();
  db = createDb({ url: pg.url, schema: 'public', max: 4 });
  const prefix = `chaos${Date.now().toString(36)}`;
  const base = {
    DATABASE_URL: pg.url,
    NATS_URL: nats.url,
    EVENT_PREFIX: prefix,
    LOG_LEVEL: 'error',
    ADMIN_TOKEN: SERVICE_TOKEN,
    JWKS_URL: 'http://127.0.0.1:9/jwks.json',
    SHUTDOWN_GRACE_SECONDS: '1',
  };
  svc.inventory = await service('inventory', { ...base, SWEEP_INTERVAL_MS: '1000' });
  svc.payments = await service('payments', { ...base, SANDBOX_WEBHOOK_SECRET: 'chaos-sandbox-secret-0123' });
  svc.fulfillment = await service('fulfillment', {
    ...base,
    DEVCARRIER_WEBHOOK_SECRET: 'chaos-devcarrier-0123456',
    DEVCARRIER_STEP_MS: '600000',
  });
  svc.orders = await service(
    'orders',
    {
      ...base,
      CART_URL: cart.url,
      RESERVE_TIMEOUT_MS: '15000',
      AUTHORIZE_TIMEOUT_MS: '5000',
      SHIP_TIMEOUT_MS: '20000',
      SAGA_RETRY_MS: '1000',
      SWEEP_INTERVAL_MS: '250',
    },
    { FAULTS: JSON.stringify([{ crashAfter: 'orders.saga.capturing', times: 1 }]) },
  );
  await Promise.all(Object.values(svc).map((s) => s.ready(60_000)));
  await db.query(
    `INSERT INTO inventory.locations (code, name, kind, address, pickup_enabled, priority, created_at, updated_at)
     SELECT c, c, 'warehouse', '{"line1":"1 Main St","city":"Springfield","postalCode":"12345","country":"US"}', false, 10, now(), now()
       FROM unnest(ARRAY['chaos-1','chaos-2']) c`,
  );
  for (const sku of SKUS) {
    await db.query(
      `INSERT INTO inventory.stock (sku, location, on_hand, reserved, updated_at) VALUES ($1, 'chaos-1', $2, 0, now()), ($1, 'chaos-2', $2, 0, now())`,
      [sku, STOCK / 2],
    );
  }
}, 120_000);

afterAll(async () => {
  for (const s of Object.values(svc)) await s.stop();
  await nats?.close();
  await cart?.close();
  await db?.close().catch(() => {});
  await pg?.close();
});

async function card(number: string): Promise<string> {
  return waitFor(
    'a payment token',
    async () => {
      const res = await fetch(`${svc.payments?.url}/sandbox/payment-methods`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ number, expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123' }),
      }).catch(() => null);
      return res?.status === 201 ? ((await res.json()) as { id: string }).id : undefined;
    },
    30_000,
  );
}

/** One checkout, retried with the same Idempotency-Key while orders is down: it must answer one order. */
const tokens: string[] = [];

async function checkout(i: number): Promise<string> {
  const cartId = newId();
  const lines = [{ sku: SKUS[i % SKUS.length] ?? 'CH-A', qty: 1 + (i % 3), price: 1_000 + i }];
  if (i % 5 === 0) lines.push({ sku: SKUS[(i + 1) % SKUS.length] ?? 'CH-B', qty: 1, price: 700 });
  cart.put(quote(cartId, lines), { token: `t-${cartId}` });
  const body = JSON.stringify({
    cartId,
    email: `c${i}@example.com`,
    address: { ...ADDRESS, postalCode: i % 11 === 0 ? '00000' : ADDRESS.postalCode },
    shippingMethod: 'standard',
    paymentMethod: tokens[i] ?? '',
    returnUrl: 'https://shop.test/return',
  });
  const headers = {
    'content-type': 'application/json',
    'idempotency-key': `chaos-${cartId}`,
    'x-cart-token': `t-${cartId}`,
  };
  return waitFor(
    `checkout ${i}`,
    async () => {
      const res = await fetch(`${svc.orders?.url}/checkout`, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(5_000),
      }).catch(() => null);
      return res?.status === 202 ? ((await res.json()) as { order: { id: string } }).order.id : undefined;
    },
    60_000,
  );
}

describe('chaos', () => {
  it('every order ends confirmed or cancelled, money and stock add up, the ledger verifies', async () => {
    // Tokens first: tokenizing a card is the browser's business, not part of what is under test.
    for (let i = 0; i < N; i++) tokens.push(await card(CARDS[i % CARDS.length] ?? '4242424242424242'));
    // Two rounds of faults while the checkouts arrive in batches of 6 every 2.5 s (≥ 22.5 s of
    // stream), so each fault, the Postgres restart first among them, lands on sagas in flight.
    const chaos: { what: string; streaming: boolean }[] = [];
    let streaming = true;
    const monkey = (async () => {
      const acts: [string, () => Promise<unknown>][] = [
        ['kill inventory', async () => svc.inventory?.kill()],
        ['restart postgres', () => pg.restart()],
        ['kill payments', async () => svc.payments?.kill()],
        ['restart nats', () => nats.restart()],
        ['kill fulfillment', async () => svc.fulfillment?.kill()],
        ['kill orders', async () => svc.orders?.kill()],
      ];
      for (let k = 0; k < 2 * acts.length; k++) {
        await new Promise((r) => setTimeout(r, 1_500 + Math.random() * 1_500));
        const [what, act] = acts[k % acts.length] ?? acts[0] ?? ['', async () => {}];
        chaos.push({ what, streaming });
        await act();
      }
    })();
    const ids: string[] = [];
    const batches: Promise<string[]>[] = [];
    for (let i = 0; i < N; i += 6) {
      const batch = Promise.all(Array.from({ length: Math.min(6, N - i) }, (_, j) => checkout(i + j)));
      batch.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
      batches.push(batch);
      if (i + 6 < N) await new Promise((r) => setTimeout(r, 2_500));
    }
    for (const b of batches) ids.push(...(await b));
    streaming = false;
    await monkey;
    expect(chaos.filter((c) => c.what === 'restart postgres' && c.streaming).length).toBeGreaterThan(0);
    await Promise.all(Object.values(svc).map((s) => s.ready(60_000)));

    const FINAL = ['confirmed', 'shipped', 'delivered', 'cancelled'];
    const statuses = await waitFor(
      'every order final',
      async () => {
        const { rows } = await db.query<{ status: string; n: number }>(
          `SELECT status, count(*)::int AS n FROM orders.orders GROUP BY status`,
        );
        return rows.every((r) => FINAL.includes(r.status)) ? rows : undefined;
      },
      90_000,
    );
    const count = (s: string) => statuses.find((r) => r.status === s)?.n ?? 0;
    const { rows: total } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders.orders`);
    expect(total[0]?.n).toBe(N);
    expect(new Set(ids).size).toBe(N);

    // Money: a capture belongs to a confirmed order or is refunded in full; none captured twice.
    const money = await waitFor(
      'refunds settled',
      async () => {
        const { rows } = await db.query<{
          order_id: string;
          status: string;
          captured: number;
          refunded: number;
          state: string;
          captures: number;
        }>(
          `SELECT p.order_id, o.status, p.amount_captured::int AS captured, p.amount_refunded::int AS refunded, p.state,
                (SELECT count(*)::int FROM payments.ledger l WHERE l.payment_id = p.id AND l.kind = 'capture') AS captures
           FROM payments.payments p JOIN orders.orders o ON o.id = p.order_id`,
        );
        const bad = rows.filter((r) => r.captured > 0 && r.status === 'cancelled' && r.refunded !== r.captured);
        const held = rows.filter(
          (r) => r.status === 'cancelled' && (r.state === 'authorized' || r.state === 'requires_action'),
        );
        return bad.length === 0 && held.length === 0 ? rows : undefined;
      },
      60_000,
    );
    expect(money.filter((r) => r.captures > 1)).toEqual([]);
    const { rows: perOrder } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM payments.payments GROUP BY order_id HAVING count(*) > 1`,
    );
    expect(perOrder).toEqual([]);

    // Stock: what left on hand is exactly what confirmed orders bought; nothing stays reserved.
    const sold = await db.query<{ sku: string; qty: number }>(
      `SELECT l->>'sku' AS sku, sum((l->>'quantity')::int)::int AS qty FROM orders.orders o, jsonb_array_elements(o.lines) l
        WHERE o.status <> 'cancelled' GROUP BY 1`,
    );
    const stock = await waitFor(
      'holds released',
      async () => {
        const { rows } = await db.query<{ sku: string; on_hand: number; reserved: number }>(
          `SELECT sku, sum(on_hand)::int AS on_hand, sum(reserved)::int AS reserved FROM inventory.stock WHERE sku = ANY($1) GROUP BY sku`,
          [SKUS],
        );
        return rows.every((r) => r.reserved === 0) ? rows : undefined;
      },
      60_000,
    );
    for (const s of stock) expect(s.on_hand).toBe(STOCK - (sold.rows.find((r) => r.sku === s.sku)?.qty ?? 0));

    const ledgerDb = createDbFor('payments');
    const ledger = await verifyLedger(ledgerDb).finally(() => ledgerDb.close());
    expect(ledger).toMatchObject({ ok: true });

    const refunded = money.filter((r) => r.refunded > 0).length;
    const line =
      `chaos: ${N} orders — confirmed ${count('confirmed') + count('shipped') + count('delivered')}, cancelled ${count('cancelled')}; ` +
      `payments ${money.length}, captured ${money.filter((r) => r.captured > 0).length}, refunded ${refunded}; ` +
      `restarts ${Object.values(svc)
        .map((s) => `${s.name}=${s.restarts}`)
        .join(' ')}; chaos: ${chaos.map((c) => `${c.what}${c.streaming ? '' : ' (after the stream)'}`).join(', ')}`;
    console.log(line);
  }, 240_000);
});

function createDbFor(schema: string): Db {
  return createDb({ url: pg.url, schema, max: 2 });
}
