import type { BenchRequest, Scenario, ScenarioContext, Target } from '../types.ts';
import { type CheckoutStats, describeStats, maxGoalLine, steadyGoalLine } from './checkout-stats.ts';

// Not imported from checkout-target.ts: loading that module starts the platform.
const target: Target = { kind: 'spawn', entry: new URL('./checkout-target.ts', import.meta.url), ready: 'port' };
/** The goal's rate (issue 6): the steady stream is sent at exactly this. */
const RATE = 200;
/** Orders of the harness's warm-up (3 s by default) are left out of the figures. */
const WARMUP_MS = 3_000;
const DRAIN_MS = 60_000;

/** A guest checkout; the target puts a fresh cart of its pool for `"{cart}"` and the sandbox card for `"{pm}"`. */
const checkout: BenchRequest = {
  method: 'POST',
  path: '/checkout',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    cartId: '{cart}',
    email: 'bench.shopper@example.com',
    address: {
      name: 'Bench Shopper',
      line1: '1 Market St',
      city: 'San Francisco',
      region: 'CA',
      postalCode: '94105',
      country: 'US',
    },
    shippingMethod: 'standard',
    paymentMethod: '{pm}',
    returnUrl: 'https://shop.example/checkout/return',
  }),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The platform takes longer to start than the harness waits for a port: wait for it here. */
async function platformUp(ctx: ScenarioContext): Promise<void> {
  const until = Date.now() + 180_000;
  for (;;) {
    const res = await fetch(`${ctx.baseUrl}/bench/status`).catch(() => null);
    const body = (await res?.json().catch(() => null)) as { status?: string; reason?: string; pool?: number } | null;
    if (body?.status === 'ready') {
      ctx.log(`  platform up: catalog, inventory, cart, payments (sandbox), fulfillment + orders; ${body.pool} carts`);
      return;
    }
    if (body?.status === 'failed') throw new Error(`the checkout platform failed: ${body.reason}`);
    if (Date.now() > until) throw new Error('the checkout platform did not start within 180 s');
    await sleep(500);
  }
}

async function stats(ctx: ScenarioContext): Promise<CheckoutStats> {
  const res = await fetch(`${ctx.baseUrl}/bench/stats?skipMs=${WARMUP_MS}`);
  if (!res.ok) throw new Error(`stats: ${res.status}`);
  return (await res.json()) as CheckoutStats;
}

/** JSON has no Infinity: an order still in flight comes back as null. */
const revive = (s: CheckoutStats): CheckoutStats => ({
  ...s,
  confirmMs: {
    p50: s.confirmMs.p50 ?? Number.POSITIVE_INFINITY,
    p99: s.confirmMs.p99 ?? Number.POSITIVE_INFINITY,
  },
});

/**
 * End to end under a steady stream at the goal's rate: POST /checkout (cart quote over HTTP,
 * order + saga + outbox in one transaction) and then the saga over NATS — reserve at inventory,
 * authorize with the sandbox, commit, capture, shipment at fulfillment — to `confirmed`. The
 * table's `fixed` row is the accept call seen by the loader; the lines printed after the load add
 * the accept → confirmed time from the orders table, once every order has settled (≤ 60 s).
 */
export const checkoutSteady: Scenario = {
  name: 'checkout',
  description: `POST /checkout (guest, sandbox card) at ${RATE}/s, accept and accept → confirmed, all services running`,
  target,
  requests: [checkout],
  loads: [{ mode: 'fixed', rate: RATE }],
  setup: platformUp,
  async teardown(ctx) {
    const until = Date.now() + DRAIN_MS;
    let s = revive(await stats(ctx));
    while (s.inFlight > 0 && Date.now() < until) {
      await sleep(1_000);
      s = revive(await stats(ctx));
    }
    for (const line of describeStats(s)) ctx.log(`  ${line}`);
    ctx.log(`  ${steadyGoalLine(s, RATE)}`);
  },
};

/** The most checkouts orders accepts on a closed loop; its queue of sagas is not waited for. */
export const checkoutMax: Scenario = {
  name: 'checkout-max',
  description: 'POST /checkout (guest, sandbox card) on a closed loop: orders accepted per second at most',
  target,
  requests: [checkout],
  loads: [{ mode: 'max' }],
  setup: platformUp,
  async teardown(ctx) {
    const s = revive(await stats(ctx));
    ctx.log(`  ${describeStats(s)[0]}`);
    ctx.log(`  ${maxGoalLine(s)}`);
  },
};
